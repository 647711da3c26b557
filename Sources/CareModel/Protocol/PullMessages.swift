/// A page of operations the caller may see, after a cursor: the answer to
/// `GET /v1/pull?after=CURSOR&limit=N`.
///
/// The cursor is a position in the server's log. A device applies the page and
/// stores `nextCursor` in one transaction, so an interrupted pull resumes where
/// it stopped; applying a page twice changes nothing.
public struct PullResponse: Codable, Sendable, Hashable {
    public var operations: [Operation]
    /// Pass this as `after` for the next page.
    public var nextCursor: UInt64
    /// Whether more operations wait after `nextCursor`.
    public var hasMore: Bool

    public init(operations: [Operation], nextCursor: UInt64, hasMore: Bool) {
        self.operations = operations
        self.nextCursor = nextCursor
        self.hasMore = hasMore
    }

    enum CodingKeys: String, CodingKey {
        case operations, nextCursor, hasMore
    }

    /// Reads `operations` in the decoder's ``WireFormat``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        operations = try container.decodeOperations(forKey: .operations, format: decoder.wireFormat)
        nextCursor = try container.decode(UInt64.self, forKey: .nextCursor)
        hasMore = try container.decode(Bool.self, forKey: .hasMore)
    }

    /// Writes `operations` in the encoder's ``WireFormat``.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(hasMore, forKey: .hasMore)
        try container.encode(nextCursor, forKey: .nextCursor)
        try container.encodeOperations(operations, forKey: .operations, format: encoder.wireFormat)
    }
}

/// Push and pull in one round trip, for bad networks: the body of `POST /v1/sync`.
public struct SyncRequest: Codable, Sendable, Hashable {
    public var push: PushRequest?
    /// The cursor to pull after.
    public var after: UInt64
    public var limit: Int?

    public init(push: PushRequest?, after: UInt64, limit: Int? = nil) {
        self.push = push
        self.after = after
        self.limit = limit
    }
}

/// The answer to a sync: the push's results (if it pushed), then a page.
public struct SyncResponse: Codable, Sendable, Hashable {
    public var push: PushResponse?
    public var pull: PullResponse

    public init(push: PushResponse?, pull: PullResponse) {
        self.push = push
        self.pull = pull
    }
}
