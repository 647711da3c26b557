import CareCompression
import Hummingbird
import NIOCore

/// Sends response bodies gzipped to clients that say `Accept-Encoding: gzip`.
///
/// Only bodies of a known length of at least ``minimumBytes`` are compressed:
/// below that, gzip's 18 bytes of framing win little or lose. Every answer
/// says `Vary: Accept-Encoding`, so a cache between device and server keeps
/// the two forms apart.
struct ResponseCompressionMiddleware<Context: RequestContext>: RouterMiddleware {
    let minimumBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        response.headers[.vary] = "Accept-Encoding"
        guard Self.acceptsGzip(request.headers[.acceptEncoding]), response.headers[.contentEncoding] == nil,
            let length = response.body.contentLength, length >= minimumBytes
        else { return response }
        let collected = CollectedBody()
        try await response.body.write(CollectingWriter(collected: collected))
        let compressed = Gzip.compress(Array(collected.buffer.readableBytesView), level: 6)
        response.headers[.contentEncoding] = "gzip"
        response.headers[.contentLength] = String(compressed.count)
        response.body = ResponseBody(byteBuffer: ByteBuffer(bytes: compressed))
        return response
    }

    /// Whether an `Accept-Encoding` header lists gzip (or `*`) without `q=0`.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        return header.split(separator: ",").contains { item in
            let parts = item.split(separator: ";").map { $0.filter { $0 != " " && $0 != "\t" }.lowercased() }
            guard let coding = parts.first, ["gzip", "x-gzip", "*"].contains(coding) else { return false }
            let refused = parts.dropFirst().contains { $0 == "q=0" || $0.hasPrefix("q=0.") && Double($0.dropFirst(2)) == 0 }
            return !refused
        }
    }
}

/// The bytes a ``CollectingWriter`` received (a class, so they outlive the consumed writer).
private final class CollectedBody {
    var buffer = ByteBuffer()
}

/// A body writer that keeps what is written instead of sending it.
private struct CollectingWriter: ResponseBodyWriter {
    let collected: CollectedBody

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        collected.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
