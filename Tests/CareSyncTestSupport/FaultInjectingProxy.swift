import NIOCore
import NIOPosix

/// A loopback HTTP/1.1 proxy that forwards to a server on 127.0.0.1 and
/// misbehaves at seeded rates (``NetworkFaults``): drops connections, cuts
/// answers mid-body, delays, duplicates requests, answers 502/503.
///
/// One request per client connection: the proxy forwards each request on a
/// new upstream connection with `Connection: close`, relays the answer and
/// closes, so every request meets exactly one fault decision.
public struct FaultInjectingProxy: Sendable {
    /// The proxy's own port on 127.0.0.1.
    public let port: Int
    private let plan: FaultPlan

    /// How many requests met each fault so far.
    public func tally() async -> [NetworkFault: Int] { await plan.tally }

    /// Runs a proxy on 127.0.0.1 (port 0) in front of `upstreamPort` while `body` runs.
    public static func run<Value: Sendable>(
        upstreamPort: Int, faults: NetworkFaults, seed: UInt64,
        _ body: @Sendable (FaultInjectingProxy) async throws -> Value
    ) async throws -> Value {
        let plan = FaultPlan(faults: faults, seed: seed)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        guard let port = server.channel.localAddress?.port else { throw ProxyError.didNotBind }
        let proxy = FaultInjectingProxy(port: port, plan: plan)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await withThrowingDiscardingTaskGroup { connections in
                    try await server.executeThenClose { inbound in
                        for try await connection in inbound {
                            connections.addTask {
                                try? await proxy.handle(connection, upstreamPort: upstreamPort)
                            }
                        }
                    }
                }
            }
            defer { group.cancelAll() }
            let value = try await body(proxy)
            try? await server.channel.close()
            return value
        }
    }

    private func handle(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, upstreamPort: Int) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var received: [UInt8] = []
            var iterator = inbound.makeAsyncIterator()
            var request: [UInt8]?
            while request == nil {
                guard let chunk = try await iterator.next() else { return }
                received += chunk.readableBytesView
                request = HTTPMessage.completeRequest(in: received)
            }
            guard let request else { return }
            let forwarded = HTTPMessage.closingConnection(request)
            switch await plan.next() {
            case .dropRequest:
                return
            case .badGateway:
                try await outbound.write(ByteBuffer(bytes: HTTPMessage.plainResponse(502, "Bad Gateway")))
            case .serviceUnavailable:
                try await outbound.write(ByteBuffer(bytes: HTTPMessage.plainResponse(503, "Service Unavailable")))
            case .dropResponse:
                _ = try await Self.exchange(forwarded, upstreamPort: upstreamPort)
            case .cutResponse:
                let response = try await Self.exchange(forwarded, upstreamPort: upstreamPort)
                try await outbound.write(ByteBuffer(bytes: response.prefix(HTTPMessage.cutPoint(of: response))))
            case .duplicateRequest:
                _ = try await Self.exchange(forwarded, upstreamPort: upstreamPort)
                try await outbound.write(ByteBuffer(bytes: try await Self.exchange(forwarded, upstreamPort: upstreamPort)))
            case .delayRequest:
                try await Task.sleep(for: plan.delay)
                try await outbound.write(ByteBuffer(bytes: try await Self.exchange(forwarded, upstreamPort: upstreamPort)))
            case .none:
                try await outbound.write(ByteBuffer(bytes: try await Self.exchange(forwarded, upstreamPort: upstreamPort)))
            }
        }
    }

    /// Sends `request` on a new connection to the upstream server and reads
    /// its answer until the server closes the connection.
    private static func exchange(_ request: [UInt8], upstreamPort: Int) async throws -> [UInt8] {
        let upstream = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: upstreamPort) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await upstream.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: request))
            var response: [UInt8] = []
            for try await chunk in inbound {
                response += chunk.readableBytesView
            }
            return response
        }
    }
}

enum ProxyError: Error {
    case didNotBind
}
