public import CareModel
public import Hummingbird

/// A request the server refuses as a whole, with a stable code for programs, a
/// message for people, the field concerned when there is one, and the HTTP status.
///
/// Messages name fields and rules, never care-record content or secrets, so an
/// error can be logged and returned as is.
public struct ServerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, machine-readable code. New codes may be added: switch with a default.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public let code: Code
    public let message: String
    public let field: String?
    public let status: HTTPResponse.Status

    public init(_ code: Code, _ message: String, field: String? = nil, status: HTTPResponse.Status) {
        self.code = code
        self.message = message
        self.field = field
        self.status = status
    }

    /// The JSON error body sent to the client.
    public var body: ErrorBody { ErrorBody(code: code.rawValue, message: message, field: field) }

    public var description: String { "\(code): \(message)" }
}
