import Foundation

extension Operation {
    /// Decodes an operation from its canonical encoding (as a log stores it).
    /// Throws a `DecodingError` for bytes that are not an operation.
    public init(canonicalBytes: [UInt8]) throws {
        self = try JSONDecoder().decode(Operation.self, from: Data(canonicalBytes))
    }
}
