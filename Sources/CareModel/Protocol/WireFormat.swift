/// How the operations of a push or a pull page are laid out in a JSON body.
///
/// The sync API speaks both; a client names the one it sends with
/// `Content-Type` and the one it wants back with `Accept`. A client that names
/// neither gets plain JSON, so older clients keep working.
public enum WireFormat: String, Sendable, Hashable, CaseIterable {
    /// `application/json`: `operations` is an array of operation objects.
    case json = "application/json"
    /// `application/vnd.caresync.columns+json`: `operations` is one
    /// ``OperationColumns`` object — repeated strings in a table, counters and
    /// times delta-coded, contexts as changes from the record's previous
    /// operation in the same list. About a quarter of the plain form before
    /// compression, and it compresses better.
    case columns = "application/vnd.caresync.columns+json"

    /// The media type, for `Content-Type` and `Accept`.
    public var mediaType: String { rawValue }

    /// The format a `Content-Type` or `Accept` header names: columns when it
    /// lists the columns media type, plain JSON otherwise (or when absent).
    public init(header: String?) {
        let named = (header ?? "").split(separator: ",").map { item in
            let type = item.split(separator: ";").first ?? ""
            return String(type.filter { $0 != " " && $0 != "\t" }).lowercased()
        }
        self = named.contains(WireFormat.columns.rawValue) ? .columns : .json
    }

    /// The key under which encoders and decoders of the sync messages find the format.
    public static let userInfoKey = CodingUserInfoKey(rawValue: "caresync.wireFormat")!
}

extension Decoder {
    /// The wire format this decoder was given (plain JSON if none).
    var wireFormat: WireFormat { userInfo[WireFormat.userInfoKey] as? WireFormat ?? .json }
}

extension Encoder {
    /// The wire format this encoder was given (plain JSON if none).
    var wireFormat: WireFormat { userInfo[WireFormat.userInfoKey] as? WireFormat ?? .json }
}

extension KeyedDecodingContainer {
    /// The operations under `key`, in the decoder's wire format.
    func decodeOperations(forKey key: Key, format: WireFormat) throws -> [Operation] {
        switch format {
        case .json: return try decode([Operation].self, forKey: key)
        case .columns:
            let columns = try decode(OperationColumns.self, forKey: key)
            do {
                return try columns.operations()
            } catch DecodingError.dataCorrupted(let context) {
                // Name the column from the message's root, as other decoding errors do.
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(
                        codingPath: codingPath + [key] + context.codingPath, debugDescription: context.debugDescription))
            }
        }
    }
}

extension KeyedEncodingContainer {
    /// Encodes `operations` under `key` in the encoder's wire format.
    mutating func encodeOperations(_ operations: [Operation], forKey key: Key, format: WireFormat) throws {
        switch format {
        case .json: try encode(operations, forKey: key)
        case .columns: try encode(OperationColumns(operations), forKey: key)
        }
    }
}
