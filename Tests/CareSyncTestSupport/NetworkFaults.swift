/// How often the fault-injecting proxy misbehaves, per request; each rate is a
/// probability in [0, 1], drawn in this order from one seeded generator (at
/// most one fault per request).
public struct NetworkFaults: Sendable, Hashable {
    /// Close the connection without forwarding the request.
    public var dropRequest: Double
    /// Forward the request, then close the connection without the answer
    /// (the server did the work; the device never hears of it).
    public var dropResponse: Double
    /// Forward the request, then send only the first part of the answer and close.
    public var cutResponse: Double
    /// Forward the request twice; answer with the second response.
    public var duplicateRequest: Double
    /// Answer 502 Bad Gateway without forwarding.
    public var badGateway: Double
    /// Answer 503 Service Unavailable without forwarding.
    public var serviceUnavailable: Double
    /// Wait ``delay`` before forwarding (then forward normally).
    public var delayRequest: Double
    public var delay: Duration

    public init(
        dropRequest: Double = 0, dropResponse: Double = 0, cutResponse: Double = 0, duplicateRequest: Double = 0,
        badGateway: Double = 0, serviceUnavailable: Double = 0, delayRequest: Double = 0,
        delay: Duration = .milliseconds(20)
    ) {
        self.dropRequest = dropRequest
        self.dropResponse = dropResponse
        self.cutResponse = cutResponse
        self.duplicateRequest = duplicateRequest
        self.badGateway = badGateway
        self.serviceUnavailable = serviceUnavailable
        self.delayRequest = delayRequest
        self.delay = delay
    }

    /// No faults: a plain forwarding proxy.
    public static let none = NetworkFaults()

    /// Every fault at `rate` each.
    public static func uniform(_ rate: Double) -> NetworkFaults {
        NetworkFaults(
            dropRequest: rate, dropResponse: rate, cutResponse: rate, duplicateRequest: rate, badGateway: rate,
            serviceUnavailable: rate, delayRequest: rate)
    }
}

/// One fault the proxy chose for a request.
public enum NetworkFault: String, Sendable, Hashable, CaseIterable {
    case none
    case dropRequest
    /// Forward the request's header and half its body, then close both
    /// connections: the server never reads the whole request. (Scripted only.)
    case cutRequest
    case dropResponse
    case cutResponse
    case duplicateRequest
    case badGateway
    case serviceUnavailable
    case delayRequest
}
