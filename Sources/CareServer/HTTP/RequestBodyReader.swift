import CareModel
import Foundation
import Hummingbird
import NIOCore

/// Reads and decodes a JSON request body under the server's limits: size
/// (413 `body_too_large`), time (408 `request_timeout`), nesting depth
/// (400 `nesting_too_deep`), syntax (400 `malformed_json`) and shape
/// (400 `invalid_request`, naming the field).
struct RequestBodyReader: Sendable {
    let maximumBytes: Int
    let maximumDepth: Int
    let timeout: Duration

    func decode<Value: Decodable & Sendable>(_ type: Value.Type, from request: Request) async throws -> Value {
        let buffer = try await collectJSON(request)
        do {
            return try JSONDecoder().decode(Value.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw Self.serverError(error)
        }
    }

    /// Reads a body with one of CareModel's fast readers (`PushRequest.init(json:)`,
    /// `SyncRequest.init(json:)`): the hot paths of ingest.
    func read<Value: Sendable>(
        _ reader: (UnsafeRawBufferPointer) throws(JSONReadError) -> Value, from request: Request
    ) async throws -> Value {
        let buffer = try await collectJSON(request)
        let result = buffer.withUnsafeReadableBytes { bytes in
            Result { () throws(JSONReadError) in try reader(bytes) }
        }
        do {
            return try result.get()
        } catch {
            throw Self.serverError(error)
        }
    }

    /// The whole body, checked for size, time and nesting depth.
    private func collectJSON(_ request: Request) async throws -> ByteBuffer {
        let buffer = try await collect(request)
        guard JSONDepthScanner.nests(buffer.readableBytesView, atMost: maximumDepth) else {
            throw ServerError(
                .nestingTooDeep, "the JSON nests deeper than \(maximumDepth) levels", status: .badRequest)
        }
        return buffer
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
