import CZlib

/// gzip (RFC 1952) for HTTP bodies, on the system zlib.
///
/// Decompression is bounded: it stops with ``GzipError/tooLarge`` as soon as
/// the output would pass the caller's limit, so a small body that inflates to
/// gigabytes (a "gzip bomb") costs at most the limit in memory. A stream that
/// is cut short, has a bad checksum or is followed by other bytes is
/// ``GzipError/corrupt``.
public enum Gzip {
    /// The two bytes every gzip stream starts with.
    public static let magic: [UInt8] = [0x1f, 0x8b]

    /// Whether `bytes` start like a gzip stream (JSON never starts with 0x1f).
    public static func looksCompressed(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: magic)
    }

    /// `bytes` as one gzip stream, at zlib's best compression.
    public static func compress(_ bytes: [UInt8], level: Int32 = 9) -> [UInt8] {
        var stream = z_stream()
        // 15 + 16: a 32 KiB window, with a gzip header and trailer; memLevel 9: the most state.
        guard CZlib_deflateInit2(&stream, level, 15 + 16, 9) == Z_OK else {
            fatalError("zlib could not allocate a compressor")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
        var input = bytes
        let status = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = inputBuffer.baseAddress
                stream.avail_in = uInt(inputBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = uInt(outputBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        // deflateBound guarantees room for the whole stream in one call.
        precondition(status == Z_STREAM_END, "zlib deflate did not finish in deflateBound's space")
        output.removeLast(Int(stream.avail_out))
        return output
    }

    /// The bytes of the gzip stream `compressed`, at most `maximumBytes` of them.
    public static func decompress(
        _ compressed: some Collection<UInt8>, maximumBytes: Int
    ) throws(GzipError) -> [UInt8] {
        var stream = z_stream()
        guard CZlib_inflateInit2(&stream, 15 + 16) == Z_OK else { throw .corrupt }
        defer { inflateEnd(&stream) }
        var input = Array(compressed)
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var status = Z_OK
        var overLimit = false
        input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            while status == Z_OK {
                let produced = chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkBuffer.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return chunkBuffer.count - Int(stream.avail_out)
                }
                // Z_BUF_ERROR with input left means no progress is possible: the stream is cut.
                if status == Z_BUF_ERROR { break }
                if output.count + produced > maximumBytes {
                    overLimit = true
                    break
                }
                output.append(contentsOf: chunk[0..<produced])
            }
        }
        if overLimit { throw .tooLarge }
        // One stream, complete (checksum and length verified by zlib), nothing after it.
        guard status == Z_STREAM_END, stream.avail_in == 0 else { throw .corrupt }
        return output
    }
}

/// Why a gzip body could not be decompressed.
public enum GzipError: Error, Sendable, Hashable {
    /// It decompresses to more than the allowed number of bytes.
    case tooLarge
    /// It is not a complete, valid gzip stream.
    case corrupt
}
