/// An identifier chosen by the care provider's admin, such as a staff number:
/// 1 to 64 characters of ASCII letters, digits and `. _ - @ :`.
///
/// Workers, residents and teams are reference data managed on the server, so
/// their identifiers are readable names rather than UUIDs.
public protocol NameIdentifier: Hashable, Comparable, Sendable, Codable, LosslessStringConvertible {
    /// The identifier's text, already validated.
    var rawValue: String { get }
    /// Wraps text that ``NameIdentifierRules/isValid(_:)`` accepted.
    init(unchecked rawValue: String)
}

/// The syntax every ``NameIdentifier`` obeys.
public enum NameIdentifierRules {
    /// The longest identifier accepted, in bytes.
    public static let maximumLength = 64

    /// Whether `text` is a well-formed name identifier.
    public static func isValid(_ text: some StringProtocol) -> Bool {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= maximumLength else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "-"), UInt8(ascii: "@"), UInt8(ascii: ":"):
                true
            default:
                false
            }
        }
    }
}

extension NameIdentifier {
    /// Validates and wraps `description`; nil when it is not a well-formed identifier.
    public init?(_ description: String) {
        guard NameIdentifierRules.isValid(description) else { return nil }
        self.init(unchecked: description)
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard NameIdentifierRules.isValid(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected 1-64 characters of [A-Za-z0-9._-@:]")
        }
        self.init(unchecked: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A worker (a person with a role: care worker, coordinator, safeguarding lead, …).
public struct WorkerID: NameIdentifier {
    public let rawValue: String
    public init(unchecked rawValue: String) { self.rawValue = rawValue }
}

/// A person receiving care.
public struct ResidentID: NameIdentifier {
    public let rawValue: String
    public init(unchecked rawValue: String) { self.rawValue = rawValue }
}

/// A team of workers and coordinators; coordinators see their own team's visits.
public struct TeamID: NameIdentifier {
    public let rawValue: String
    public init(unchecked rawValue: String) { self.rawValue = rawValue }
}
