import NIOCore
import NIOPosix

/// An HTTP/1.1 proxy that forwards to a sync server and misbehaves at seeded
/// rates (``NetworkFaults``) or at scripted requests (``ProxyScript``): drops
/// connections, cuts requests and answers mid-body, delays, duplicates
/// requests, answers 502/503.
///
/// One request per client connection: the proxy forwards each request on a
/// new upstream connection with `Connection: close`, relays the answer and
/// closes, so every request meets exactly one fault decision.
public struct FaultInjectingProxy: Sendable {
    /// The proxy's own port.
    public let port: Int
    private let plan: FaultPlan
    private let upstream: ProxyUpstream
    private let script: ProxyScript

    /// How many requests met each fault so far.
    public func tally() async -> [NetworkFault: Int] { await plan.tally }

    /// Sends the following requests to another server port (a restarted server).
    public func redirect(toPort port: Int) async { await upstream.setPort(port) }

    /// Runs a proxy on 127.0.0.1 (port 0) in front of `upstreamPort` while `body` runs.
    public static func run<Value: Sendable>(
        upstreamPort: Int, faults: NetworkFaults, seed: UInt64,
        _ body: @Sendable (FaultInjectingProxy) async throws -> Value
    ) async throws -> Value {
        try await run(ProxyConfiguration(upstreamPort: upstreamPort, faults: faults, seed: seed), body)
    }

    /// Runs a proxy as `configuration` says while `body` runs; closes it after.
    public static func run<Value: Sendable>(
        _ configuration: ProxyConfiguration, _ body: @Sendable (FaultInjectingProxy) async throws -> Value
    ) async throws -> Value {
        let plan = FaultPlan(faults: configuration.faults, seed: configuration.seed, scripted: configuration.script.faults)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: configuration.listenHost, port: configuration.listenPort) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        guard let port = server.channel.localAddress?.port else { throw ProxyError.didNotBind }
        let proxy = FaultInjectingProxy(
            port: port, plan: plan,
            upstream: ProxyUpstream(host: configuration.upstreamHost, port: configuration.upstreamPort),
            script: configuration.script)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await withThrowingDiscardingTaskGroup { connections in
                    try await server.executeThenClose { inbound in
                        for try await connection in inbound {
                            connections.addTask {
                                try? await proxy.handle(connection)
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

    private func handle(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async throws {
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
            let (number, fault) = await plan.next()
            await script.beforeForwarding(number)
            let (host, port) = await upstream.address
            let exchange = { @Sendable (bytes: [UInt8]) async throws -> [UInt8] in
                try await Self.exchange(bytes, host: host, port: port)
            }
            switch fault {
            case .dropRequest:
                return
            case .cutRequest:
                try? await Self.connect(host: host, port: port).executeThenClose { _, upstreamOutbound in
                    try await upstreamOutbound.write(ByteBuffer(bytes: forwarded.prefix(HTTPMessage.cutPoint(of: forwarded))))
                }
            case .badGateway:
                try await outbound.write(ByteBuffer(bytes: HTTPMessage.plainResponse(502, "Bad Gateway")))
            case .serviceUnavailable:
                try await outbound.write(ByteBuffer(bytes: HTTPMessage.plainResponse(503, "Service Unavailable")))
            case .dropResponse:
                _ = try await exchange(forwarded)
            case .cutResponse:
                let response = try await exchange(forwarded)
                try await outbound.write(ByteBuffer(bytes: response.prefix(HTTPMessage.cutPoint(of: response))))
            case .duplicateRequest:
                _ = try await exchange(forwarded)
                try await outbound.write(ByteBuffer(bytes: try await exchange(forwarded)))
            case .delayRequest:
                try await Task.sleep(for: plan.delay)
                try await outbound.write(ByteBuffer(bytes: try await exchange(forwarded)))
            case .none:
                try await outbound.write(ByteBuffer(bytes: try await exchange(forwarded)))
            }
        }
    }

    /// Sends `request` on a new connection to the upstream server and reads
    /// its answer until the server closes the connection.
    private static func exchange(_ request: [UInt8], host: String, port: Int) async throws -> [UInt8] {
        try await connect(host: host, port: port).executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: request))
            var response: [UInt8] = []
            for try await chunk in inbound {
                response += chunk.readableBytesView
            }
            return response
        }
    }
}

extension FaultInjectingProxy {
    /// A new connection to the upstream server.
    fileprivate static func connect(host: String, port: Int) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }
}

/// Where the proxy forwards: changes when a test restarts the server on a new port.
actor ProxyUpstream {
    private let host: String
    private var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    var address: (host: String, port: Int) { (host, port) }

    func setPort(_ port: Int) { self.port = port }
}

enum ProxyError: Error {
    case didNotBind
}
