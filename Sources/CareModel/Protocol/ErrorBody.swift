/// An error as the sync API sends it: a stable code, a message for people and,
/// where it helps, the field concerned.
public struct ErrorBody: Codable, Sendable, Hashable, Error {
    public var code: String
    public var message: String
    public var field: String?

    public init(code: String, message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public init(_ error: CareModelError) {
        self.init(code: error.code.rawValue, message: error.message, field: error.field)
    }
}
