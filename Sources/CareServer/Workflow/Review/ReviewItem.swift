public import CareModel
import Crypto

/// One thing in the review queue: a finding about a visit or a note, open until
/// a coordinator decides it (or a later write settles it), then kept, resolved.
public struct ReviewItem: Sendable, Hashable, Codable {
    /// A stable id: the same finding (record, reason, writes behind it) always
    /// gets the same id, so re-reading the log cannot open it twice.
    public var id: String
    /// `Visit.ReviewReason`'s values, `concurrent_note_versions` or `clock_skew`.
    public var reason: String
    public var record: RecordRef
    /// The record's team (from the record index): whose coordinators see it.
    public var team: TeamID?
    /// The log entry that raised it, and its receive time.
    public var openedSequence: UInt64
    public var openedAt: Int64
    public var resolvedAt: Int64?
    /// Who decided it, or wrote what settled it (a write that resolved a conflict).
    public var resolvedBy: WorkerID?
    /// The log position of the decision (or of the write that settled it).
    public var resolutionSequence: UInt64?

    public init(
        id: String, reason: String, record: RecordRef, team: TeamID?, openedSequence: UInt64, openedAt: Int64,
        resolvedAt: Int64? = nil, resolvedBy: WorkerID? = nil, resolutionSequence: UInt64? = nil
    ) {
        self.id = id
        self.reason = reason
        self.record = record
        self.team = team
        self.openedSequence = openedSequence
        self.openedAt = openedAt
        self.resolvedAt = resolvedAt
        self.resolvedBy = resolvedBy
        self.resolutionSequence = resolutionSequence
    }

    public var isOpen: Bool { resolvedAt == nil }

    /// The id of the finding `reason` on `record` behind the writes `dots`:
    /// 24 hex digits of SHA-256 over them.
    public static func id(record: RecordRef, reason: String, dots: [Dot]) -> String {
        var text = "\(record)|\(reason)"
        for dot in dots.sorted() { text += "|\(dot.replica):\(dot.counter)" }
        return SHA256.hash(data: Array(text.utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
    }

    enum CodingKeys: String, CodingKey {
        case id, reason, record, team
        case openedSequence = "opened_sequence"
        case openedAt = "opened_at"
        case resolvedAt = "resolved_at"
        case resolvedBy = "resolved_by"
        case resolutionSequence = "resolution_sequence"
    }
}

extension ReviewItem {
    /// An item from its stored columns (both backends).
    static func fromColumns(
        id: String, reason: String, recordKind: String, recordID: String, team: String?, openedSequence: Int64,
        openedAt: Int64, resolvedAt: Int64?, resolvedBy: String?, resolutionSequence: Int64?
    ) throws -> ReviewItem {
        guard let recordID = RecordID(recordID) else {
            throw ServerError(.internalError, "a stored review item's record is not a record id", status: .internalServerError)
        }
        return ReviewItem(
            id: id, reason: reason, record: RecordRef(kind: RecordKind(rawValue: recordKind), id: recordID),
            team: team.map(TeamID.init(unchecked:)), openedSequence: UInt64(openedSequence), openedAt: openedAt,
            resolvedAt: resolvedAt, resolvedBy: resolvedBy.map(WorkerID.init(unchecked:)),
            resolutionSequence: resolutionSequence.map { UInt64($0) })
    }
}
