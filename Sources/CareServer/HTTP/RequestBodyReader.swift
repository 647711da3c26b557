import CareCompression
import CareModel
import Foundation
import Hummingbird
import NIOCore

/// Reads and decodes a JSON request body under the server's limits: size
/// (413 `body_too_large`, as sent and once decompressed), time (408
/// `request_timeout`), encoding (400 `malformed_gzip`, 415
/// `unsupported_content_encoding`), nesting depth (400 `nesting_too_deep`),
/// syntax (400 `malformed_json`) and shape (400 `invalid_request`, naming the
/// field). The body's `Content-Type` chooses the ``WireFormat`` of its operations.
struct RequestBodyReader: Sendable {
    let maximumBytes: Int
    let maximumDepth: Int
    let timeout: Duration

    func decode<Value: Decodable & Sendable>(_ type: Value.Type, from request: Request) async throws -> Value {
        let body = try await collectJSON(request)
        let decoder = JSONDecoder()
        decoder.userInfo[WireFormat.userInfoKey] = WireFormat(header: request.headers[.contentType])
        do {
            return try decoder.decode(Value.self, from: Data(body))
        } catch let error as DecodingError {
            throw Self.serverError(error)
        }
    }

    /// Decodes a sync message (a push or a sync): plain JSON with CareModel's
    /// fast reader (`fastReader`, e.g. `PushRequest.init(json:)`), the hot path
    /// of ingest; the columns format with its `Codable` decoder.
    func decodeMessage<Value: Decodable & Sendable>(
        _ type: Value.Type, fastReader: (UnsafeRawBufferPointer) throws(JSONReadError) -> Value,
        from request: Request
    ) async throws -> Value {
        guard WireFormat(header: request.headers[.contentType]) == .json else {
            return try await decode(type, from: request)
        }
        let body = try await collectJSON(request)
        let result = body.withUnsafeBytes { bytes in
            Result { () throws(JSONReadError) in try fastReader(bytes) }
        }
        do {
            return try result.get()
        } catch {
            throw Self.serverError(error)
        }
    }

    /// The whole body, decompressed, checked for size, time and nesting depth.
    private func collectJSON(_ request: Request) async throws -> [UInt8] {
        let body = try decompressed(try await collect(request), encoding: request.headers[.contentEncoding])
        guard JSONDepthScanner.nests(body, atMost: maximumDepth) else {
            throw ServerError(
                .nestingTooDeep, "the JSON nests deeper than \(maximumDepth) levels", status: .badRequest)
        }
        return body
    }

    /// The body as the client wrote it: gunzipped (to at most `maximumBytes`) if it says gzip.
    private func decompressed(_ buffer: ByteBuffer, encoding: String?) throws -> [UInt8] {
        switch encoding?.trimmingCharacters(in: .whitespaces).lowercased() {
        case nil, "", "identity":
            return Array(buffer.readableBytesView)
        case "gzip", "x-gzip":
            do {
                return try Gzip.decompress(buffer.readableBytesView, maximumBytes: maximumBytes)
            } catch .tooLarge {
                throw ServerError(
                    .bodyTooLarge, "a request body may take at most \(maximumBytes) bytes once decompressed",
                    status: .contentTooLarge)
            } catch {
                throw ServerError(.malformedGzip, "the body is not a complete, valid gzip stream", status: .badRequest)
            }
        case let other?:
            throw ServerError(
                .unsupportedContentEncoding, "Content-Encoding \(other) is not supported; send gzip or identity",
                status: .unsupportedMediaType)
        }
    }

    private func collect(_ request: Request) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maximumBytes {
            throw bodyTooLarge
        }
        let maximumBytes = maximumBytes
        let timeout = timeout
        return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask {
                var request = request
                do {
                    return try await request.collectBody(upTo: maximumBytes)
                } catch is NIOTooManyBytesError {
                    throw self.bodyTooLarge
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let buffer = first else {
                throw ServerError(
                    .requestTimeout, "the request body did not arrive within \(timeout)", status: .requestTimeout)
            }
            return buffer
        }
    }

    private var bodyTooLarge: ServerError {
        ServerError(.bodyTooLarge, "a request body may take at most \(maximumBytes) bytes", status: .contentTooLarge)
    }

    /// A reading failure as a client error, without echoing any of the body.
    static func serverError(_ error: JSONReadError) -> ServerError {
        switch error.kind {
        case .malformed:
            ServerError(.malformedJSON, "the body is not well-formed JSON (\(error.message))", status: .badRequest)
        case .typeMismatch, .missingMember, .invalidValue:
            ServerError(.invalidRequest, error.message, field: error.field, status: .badRequest)
        }
    }

    /// A decoding failure as a client error, without echoing any of the body.
    static func serverError(_ error: DecodingError) -> ServerError {
        func path(_ codingPath: [any CodingKey]) -> String? {
            guard !codingPath.isEmpty else { return nil }
            return codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }
                .joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .typeMismatch(let type, let context):
            return ServerError(
                .invalidRequest, "expected \(Self.typeName(type))", field: path(context.codingPath), status: .badRequest)
        case .valueNotFound(let type, let context):
            return ServerError(
                .invalidRequest, "expected \(Self.typeName(type)), found null", field: path(context.codingPath),
                status: .badRequest)
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return ServerError(.invalidRequest, "a required field is missing", field: field, status: .badRequest)
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return ServerError(.malformedJSON, "the body is not well-formed JSON", status: .badRequest)
        case .dataCorrupted(let context):
            return ServerError(
                .invalidRequest, "the value is not allowed here (\(context.debugDescription))",
                field: path(context.codingPath), status: .badRequest)
        @unknown default:
            return ServerError(.invalidRequest, "the body does not match the request's schema", status: .badRequest)
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is UInt64.Type, is UInt32.Type, is Int32.Type: "an integer"
        case is [Any].Type: "a list"
        default: "a value of another type"
        }
    }
}
