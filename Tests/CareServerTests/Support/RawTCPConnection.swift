import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP connection to 127.0.0.1 that sends exactly the bytes it is
/// given, when it is told to: for tests that stop in the middle of a request.
/// One task uses it, start to end.
final class RawTCPConnection {
    struct Failure: Error, CustomStringConvertible {
        let call: String
        let code: Int32
        var description: String { "\(call) failed: errno \(code)" }
    }

    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(call: "socket", code: errno) }
        // A hang guard for reads, not a timing assertion.
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                connect(descriptor, socketAddress, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            close(descriptor)
            throw Failure(call: "connect", code: code)
        }
    }

    deinit { close(descriptor) }

    /// Whether a new connection to `port` is refused (nothing listens there).
    static func isRefused(port: Int) -> Bool {
        do {
            _ = try RawTCPConnection(port: port)
            return false
        } catch {
            return (error as? Failure)?.code == ECONNREFUSED
        }
    }

    func send(_ bytes: some Collection<UInt8>) throws {
        try Array(bytes).withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + sent, buffer.count - sent)
                guard written > 0 else { throw Failure(call: "write", code: errno) }
                sent += written
            }
        }
    }

    /// Everything the peer sends until it closes the connection.
    func readToEnd() throws -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            guard count >= 0 else { throw Failure(call: "read", code: errno) }
            if count == 0 { return received }
            received += chunk[..<count]
        }
    }
}
