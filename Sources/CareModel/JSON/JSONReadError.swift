/// Why a JSON document could not be read as the message expected, and where.
///
/// The server turns ``Kind-swift.enum/malformed`` into `malformed_json` and the
/// other kinds into `invalid_request` naming ``field``; nothing of the body is
/// echoed back.
public struct JSONReadError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The bytes are not well-formed JSON (or not UTF-8).
        case malformed
        /// Well-formed, but a value has the wrong JSON type.
        case typeMismatch
        /// A required member is missing (or null).
        case missingMember
        /// The value has the right type but is not allowed (an unknown record kind, a bad UUID, …).
        case invalidValue
    }

    public let kind: Kind
    /// What was wrong, for a person.
    public let message: String
    /// The path to the value, outermost first: member names and list indexes.
    public private(set) var path: [PathComponent] = []

    /// One step of ``path``.
    public enum PathComponent: Hashable, Sendable {
        case member(String)
        case index(Int)
    }

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The path as `operations[3].changes[0].v`, nil at the top level.
    public var field: String? {
        guard !path.isEmpty else { return nil }
        var text = ""
        for component in path {
            switch component {
            case .member(let name): text += text.isEmpty ? name : ".\(name)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    public var description: String {
        field.map { "\($0): \(message)" } ?? message
    }

    /// The same error seen from the enclosing value. Malformed input has no
    /// meaningful path, so it stays path-less.
    func inside(_ component: PathComponent) -> JSONReadError {
        guard kind != .malformed else { return self }
        var error = self
        error.path.insert(component, at: 0)
        return error
    }

    static func malformed(_ message: String) -> JSONReadError {
        JSONReadError(.malformed, message)
    }

    static func expected(_ what: String) -> JSONReadError {
        JSONReadError(.typeMismatch, "expected \(what)")
    }
}
