import CareModel
import Foundation

/// One page of a pull, as storage returns it: the operations' canonical
/// encodings (sent as they are, without decoding), the next cursor, and whether
/// more wait.
///
/// The cursor is a position in the server log *as this worker sees it*: an
/// operation is delivered at its own sequence, or — when it became visible later,
/// because the worker was assigned to its visit afterwards — at the sequence of
/// the assigning operation. A page never splits the operations delivered at one
/// position, so one cursor number is enough to resume.
public struct PullPage: Sendable, Hashable {
    public var operations: [[UInt8]]
    public var nextCursor: UInt64
    public var hasMore: Bool

    public init(operations: [[UInt8]], nextCursor: UInt64, hasMore: Bool) {
        self.operations = operations
        self.nextCursor = nextCursor
        self.hasMore = hasMore
    }
}

extension PullPage {
    /// The page as a message, its operations decoded (for wire formats other
    /// than plain JSON, which splices the stored encodings in as they are).
    func response() throws -> PullResponse {
        let decoder = JSONDecoder()
        return PullResponse(
            operations: try operations.map { try decoder.decode(CareModel.Operation.self, from: Data($0)) },
            nextCursor: nextCursor, hasMore: hasMore)
    }
}
