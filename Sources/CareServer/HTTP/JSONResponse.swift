import CareModel
import Foundation
import Hummingbird
import NIOCore

/// JSON responses of the sync API.
enum JSONResponse {
    /// `value` as JSON; its operations (if any) laid out in `format`, which the
    /// answer's `Content-Type` names.
    static func encode(
        _ value: some Encodable, status: HTTPResponse.Status = .ok, format: WireFormat = .json
    ) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.userInfo[WireFormat.userInfoKey] = format
        return bytes(Array(try encoder.encode(value)), status: status, format: format)
    }

    static func bytes(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, format: WireFormat = .json) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = format.mediaType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func error(_ error: ServerError) -> Response {
        (try? encode(error.body, status: error.status)) ?? Response(status: error.status)
    }

    /// A pull page as JSON, splicing in the stored canonical encodings (which are
    /// valid wire-form operations) without decoding them.
    static func pullBody(_ page: PullPage) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(page.operations.reduce(64) { $0 + $1.count + 1 })
        output += Array("{\"hasMore\":\(page.hasMore),\"nextCursor\":\(page.nextCursor),\"operations\":[".utf8)
        for (index, operation) in page.operations.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output += operation
        }
        output += Array("]}".utf8)
        return output
    }
}
