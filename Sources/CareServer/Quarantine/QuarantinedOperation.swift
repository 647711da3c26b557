public import CareModel
import Crypto

/// An operation the server refused, kept for review with its reason: rejected
/// operations are quarantined, never discarded.
///
/// Written by ingest in the batch's own transaction. One row per distinct
/// operation: the same operation pushed again (same replica, counter and
/// canonical body) does not add a row; another body under the same id does
/// (the quarantine keeps what each push claimed).
public struct QuarantinedOperation: Sendable, Hashable, Codable {
    /// The operation's id (replica and counter).
    public var id: Dot
    /// The pushing device and its worker.
    public var device: DeviceID
    public var worker: WorkerID
    public var record: RecordRef
    /// The visit the record belongs to and that visit's team, as far as the
    /// server knows them (nil for abuse reports, and for unknown records).
    public var visit: RecordID?
    public var team: TeamID?
    /// The rejection: a stable code (`RejectionCode`, `CareModelError.Code`) and message.
    public var code: String
    public var message: String
    /// The server's receive time of the push that first brought it, Unix ms.
    public var receivedAt: Int64
    /// The operation's canonical encoding (JSON), as pushed.
    public var body: [UInt8]

    public init(
        id: Dot, device: DeviceID, worker: WorkerID, record: RecordRef, visit: RecordID?, team: TeamID?,
        code: String, message: String, receivedAt: Int64, body: [UInt8]
    ) {
        self.id = id
        self.device = device
        self.worker = worker
        self.record = record
        self.visit = visit
        self.team = team
        self.code = code
        self.message = message
        self.receivedAt = receivedAt
        self.body = body
    }

    /// SHA-256 of ``body``: with the id, what makes a row distinct.
    public var digest: [UInt8] { Array(SHA256.hash(data: body)) }
}
