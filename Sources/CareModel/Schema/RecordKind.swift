/// The kind of a record. Its schema (fields and merge rules) is
/// ``RecordSchema/of(_:)``.
///
/// A struct rather than an enum so that kinds can be added without breaking
/// exhaustive switches in apps.
public struct RecordKind: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// A scheduled visit: the office's plan and the worker's evidence.
    public static let visit = RecordKind(rawValue: "visit")
    /// A note written about a visit.
    public static let visitNote = RecordKind(rawValue: "visit_note")
    /// A scheduled visit that did not happen, and why.
    public static let missedCall = RecordKind(rawValue: "missed_call")
    /// Abuse or violence a worker suffered at a visit (zero tolerance).
    public static let abuseReport = RecordKind(rawValue: "abuse_report")
    /// The server escalating an unacknowledged abuse report (safeguarding leads and auditors only).
    public static let abuseEscalation = RecordKind(rawValue: "abuse_escalation")

    /// Every kind the model knows.
    public static let all: [RecordKind] = [.visit, .visitNote, .missedCall, .abuseReport, .abuseEscalation]

    public var description: String { rawValue }

    public static func < (lhs: RecordKind, rhs: RecordKind) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard RecordKind.all.contains(where: { $0.rawValue == raw }) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown record kind")
        }
        self.init(rawValue: raw)
    }
}

/// A record: its kind and its id.
public struct RecordRef: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var kind: RecordKind
    public var id: RecordID

    public init(kind: RecordKind, id: RecordID) {
        self.kind = kind
        self.id = id
    }

    public static func < (lhs: RecordRef, rhs: RecordRef) -> Bool {
        (lhs.kind, lhs.id) < (rhs.kind, rhs.id)
    }

    /// Hashes the id's bits only: ids are unique across kinds, and hashing the
    /// kind's text would double the cost of every lookup on the reducer's hot path.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id.uuid.high)
        hasher.combine(id.uuid.low)
    }

    public var description: String { "\(kind)/\(id)" }
}
