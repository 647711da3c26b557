/// What `caresync audit verify` found.
public struct VerificationReport: Codable, Sendable, Hashable {
    /// Operations read.
    public var operations = 0
    /// Replicas (devices' operation chains) seen.
    public var replicas = 0
    /// Device signatures checked and valid.
    public var signaturesVerified = 0
    /// Operations after their replica's last valid signature: covered by the
    /// hash chains but by no device signature yet (the device has not pushed
    /// since, or its last push was refused part way).
    public var unsignedOperations = 0
    /// The last sequence read and its server hash (hex): compare with a value
    /// recorded earlier to detect operations dropped from the end of the log.
    public var lastSequence: UInt64 = 0
    public var lastServerHash = ""
    /// What is wrong, in log order (at most the verifier's limit).
    public var findings: [AuditFinding] = []
    /// Findings beyond the limit, counted only.
    public var findingsOmitted = 0

    public init() {}

    /// Whether nothing was found wrong.
    public var isIntact: Bool { findings.isEmpty }
}
