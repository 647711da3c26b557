/// Just enough HTTP/1.1 framing for the proxy: find a complete request,
/// force `Connection: close`, build small answers, choose where to cut.
enum HTTPMessage {
    private static let headerEnd: [UInt8] = Array("\r\n\r\n".utf8)

    /// The offset just past the blank line that ends the header, if present.
    static func headerLength(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index..<(index + 4)].elementsEqual(headerEnd) {
            return index + 4
        }
        return nil
    }

    /// The header lines (without the request or status line).
    static func headerLines(_ bytes: [UInt8], length: Int) -> [Substring] {
        String(decoding: bytes[..<length], as: UTF8.self).split(separator: "\r\n").dropFirst().map { $0 }
    }

    static func contentLength(_ lines: [Substring]) -> Int {
        for line in lines {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                return Int(parts[1].trimmingPrefix(" ")) ?? 0
            }
        }
        return 0
    }

    /// The first complete request in `bytes` (header and `Content-Length` body), or nil.
    static func completeRequest(in bytes: [UInt8]) -> [UInt8]? {
        guard let length = headerLength(bytes) else { return nil }
        let total = length + contentLength(headerLines(bytes, length: length))
        return bytes.count >= total ? Array(bytes[..<total]) : nil
    }

    /// `request` with its `Connection` header replaced by `Connection: close`.
    static func closingConnection(_ request: [UInt8]) -> [UInt8] {
        guard let length = headerLength(request) else { return request }
        let text = String(decoding: request[..<length], as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: true).map(String.init)
        lines.removeAll { line in
            let name = line.split(separator: ":", maxSplits: 1).first?.lowercased() ?? ""
            return name == "connection" || name == "keep-alive"
        }
        lines.append("Connection: close")
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) + request[length...]
    }

    /// A small plain-text answer with `status`.
    static func plainResponse(_ status: Int, _ reason: String) -> [UInt8] {
        let body = "\(reason)\n"
        return Array(
            "HTTP/1.1 \(status) \(reason)\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
                .utf8)
    }

    /// Where to cut an answer: half way through its body (or its header when it has no body).
    static func cutPoint(of response: [UInt8]) -> Int {
        guard let length = headerLength(response) else { return response.count / 2 }
        let body = response.count - length
        return body > 1 ? length + body / 2 : length / 2
    }
}
