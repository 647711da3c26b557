public import CareModel

/// How the sync engine talks to the sync server: the four calls of the sync
/// API (`Schema/openapi.yaml`), each one request and one answer.
///
/// Implementations carry the device's credential themselves and throw
/// ``SyncTransportError`` with the HTTP status and the server's ``ErrorBody``.
/// Every call may be repeated: the server is idempotent on operation ids and
/// pull cursors, so a call whose answer was lost can simply be made again.
public protocol SyncTransport: Sendable {
    /// `POST /v1/enrol`: exchanges a one-time code for a device credential.
    func enrol(_ request: EnrolmentRequest) async throws(SyncTransportError) -> EnrolmentResponse
    /// `POST /v1/push`: one batch of this device's operations, in counter order.
    func push(_ request: PushRequest) async throws(SyncTransportError) -> PushResponse
    /// `GET /v1/pull`: a page of operations after `cursor`; `limit` nil takes the server's default.
    func pull(after cursor: UInt64, limit: Int?) async throws(SyncTransportError) -> PullResponse
    /// `POST /v1/sync`: a push and a pull in one round trip.
    func sync(_ request: SyncRequest) async throws(SyncTransportError) -> SyncResponse
}
