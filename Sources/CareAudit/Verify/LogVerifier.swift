public import CareModel
public import CareServer

/// Checks a server log as it streams past, in sequence order: each replica's
/// hash chain and counters, the server's log chain and sequences, and each
/// device's signatures over its chain heads.
///
/// Every check compares an operation with its stored predecessor, so one
/// altered, missing or moved operation is reported where it is, not as a
/// cascade over everything after it.
public struct LogVerifier {
    private struct ReplicaProgress {
        var lastCounter: UInt64 = 0
        var lastHash = OperationHash.genesis
        /// The highest counter covered by a valid signature.
        var signedThrough: UInt64 = 0
        var operations = 0
    }

    private let wholeLog: Bool
    private let findingLimit: Int
    private let devices: [ReplicaID: DeviceSummary]
    private var signatures: [ReplicaID: [UInt64: StoredChainSignature]] = [:]
    private var replicas: [ReplicaID: ReplicaProgress] = [:]
    private var reportedUnknown: Set<ReplicaID> = []
    private var lastSequence: UInt64 = 0
    private var lastServerHash = ServerLogChain.genesis
    private var report = VerificationReport()

    /// - Parameters:
    ///   - wholeLog: whether the log runs from sequence 1 unfiltered (see ``AuditLogSource/isWholeLog``).
    ///   - findingLimit: findings kept in the report; later ones are only counted.
    public init(
        devices: [DeviceSummary], signatures: [StoredChainSignature], wholeLog: Bool, findingLimit: Int = 1_000
    ) {
        self.wholeLog = wholeLog
        self.findingLimit = findingLimit
        self.devices = Dictionary(devices.map { ($0.replica, $0) }, uniquingKeysWith: { first, _ in first })
        for signature in signatures {
            self.signatures[signature.replica, default: [:]][signature.counter] = signature
        }
    }

    /// Records a finding (or counts it past the limit).
    public mutating func add(_ finding: AuditFinding) {
        if report.findings.count < findingLimit {
            report.findings.append(finding)
        } else {
            report.findingsOmitted += 1
        }
    }

    /// Checks the next entry of the log.
    public mutating func check(_ entry: AuditEntry) {
        let log = entry.log
        report.operations += 1
        checkServerChain(entry)
        guard let dot = OperationIdentity.read(log.body) else {
            add(AuditFinding(
                .malformedOperation, "the stored operation's bytes do not name a replica and counter",
                sequence: log.sequence))
            return
        }
        let device = devices[dot.replica]
        if device == nil, reportedUnknown.insert(dot.replica).inserted {
            add(AuditFinding(
                .unknownReplica, "no enrolled device writes as this replica", sequence: log.sequence,
                replica: dot.replica, counter: dot.counter))
        }
        func finding(_ code: AuditFinding.Code, _ message: String) -> AuditFinding {
            AuditFinding(code, message, sequence: log.sequence, device: device?.device, replica: dot.replica, counter: dot.counter)
        }

        var progress = replicas[dot.replica] ?? ReplicaProgress()
        let expected = progress.lastCounter + 1
        var previous: OperationHash?
        if dot.counter == expected {
            previous = progress.lastHash
        } else if !wholeLog, dot.counter > expected, let stated = entry.previousHash {
            previous = stated  // a filtered export: the predecessor is not in the file
        } else {
            previous = entry.previousHash
            add(finding(
                .counterGap,
                dot.counter > expected
                    ? "the replica's counters jump from \(progress.lastCounter) to \(dot.counter): "
                        + "operation(s) \(expected)…\(dot.counter - 1) are missing"
                    : "counter \(dot.counter) comes after counter \(progress.lastCounter): the replica's operations are out of order"))
        }
        if let previous, !log.hash.isChaining(log.body, after: previous) {
            add(finding(
                .hashMismatch,
                "the operation's bytes do not hash to its stored hash after its predecessor: "
                    + "it (or its predecessor) was changed after it was stored"))
        } else if let signature = signatures[dot.replica]?[dot.counter] {
            // The stored hash is now the recomputed one (or, after a gap, the best evidence left).
            let hash = log.hash
            if signature.head != hash {
                add(finding(
                    .signatureHeadMismatch, "the device signed another chain head at this counter than the log's"))
            } else if let device,
                signature.chainHeadSignature.isValid(replica: dot.replica, head: hash, publicKey: device.publicKey)
            {
                report.signaturesVerified += 1
                progress.signedThrough = max(progress.signedThrough, dot.counter)
            } else if device != nil {
                add(finding(.badSignature, "the device's signature over its chain head here does not verify with its enrolled key"))
            }
        }
        progress.lastCounter = max(progress.lastCounter, dot.counter)
        progress.lastHash = log.hash
        progress.operations += 1
        replicas[dot.replica] = progress
    }

    private mutating func checkServerChain(_ entry: AuditEntry) {
        let log = entry.log
        var previous: [UInt8]? = lastServerHash
        if log.sequence != lastSequence + 1 {
            if wholeLog || log.sequence <= lastSequence {
                add(AuditFinding(
                    .sequenceGap,
                    log.sequence > lastSequence
                        ? "the log jumps from sequence \(lastSequence) to \(log.sequence): "
                            + "operation(s) \(lastSequence + 1)…\(log.sequence - 1) are missing"
                        : "sequence \(log.sequence) comes after sequence \(lastSequence): the log is out of order",
                    sequence: log.sequence))
            }
            previous = entry.previousServerHash
        } else if let stated = entry.previousServerHash, stated != lastServerHash {
            add(AuditFinding(
                .serverHashMismatch, "the export states another server hash before this operation than the one before it",
                sequence: log.sequence))
        }
        if let previous,
            !ServerLogChain.isLink(
                log.serverHash, previous: previous, operationHash: log.hash, sequence: log.sequence,
                receivedAt: log.receivedAt)
        {
            add(AuditFinding(
                .serverHashMismatch,
                "the server hash is not the link of the one before with this operation's hash, sequence and "
                    + "receive time: the entry was changed, moved or inserted after it was logged",
                sequence: log.sequence))
        }
        lastSequence = log.sequence
        lastServerHash = log.serverHash
    }

    /// Ends the check: signatures over operations the log does not hold, and the totals.
    public mutating func finish() -> VerificationReport {
        for (replica, byCounter) in signatures.sorted(by: { $0.key < $1.key }) {
            let device = devices[replica]
            if device == nil, reportedUnknown.insert(replica).inserted {
                add(AuditFinding(.unknownReplica, "a signature of a replica no enrolled device writes as", replica: replica))
            }
            let last = replicas[replica]?.lastCounter ?? 0
            if wholeLog, let missing = byCounter.keys.filter({ $0 > last }).min() {
                add(AuditFinding(
                    .missingSignedOperation,
                    "the device signed its chain through counter \(byCounter.keys.max()!), but the log holds "
                        + "its operations only through counter \(last): operations were dropped",
                    device: device?.device, replica: replica, counter: missing))
            }
        }
        report.replicas = replicas.count
        report.unsignedOperations = replicas.values.reduce(0) { $0 + Int($1.lastCounter - min($1.signedThrough, $1.lastCounter)) }
        report.lastSequence = lastSequence
        report.lastServerHash = OperationHash(bytes: lastServerHash)?.hex ?? ""
        return report
    }
}
