import CareCompression
public import CareModel
public import Foundation

#if canImport(FoundationNetworking)
    // On Linux, URLSession lives in FoundationNetworking (swift-corelibs-foundation, over libcurl).
    public import FoundationNetworking
#endif

/// The sync API over HTTP/1.1 with JSON bodies, on Foundation's `URLSession`.
///
/// Why `URLSession` and not AsyncHTTPClient: this is device code. On iOS,
/// `URLSession` is the system's HTTP stack — it is already in every app, it
/// follows the system's proxy, VPN, cellular and low-data settings, and it needs
/// no extra dependency (AsyncHTTPClient would add SwiftNIO and its TLS stack to
/// the app). On Linux the same code runs on FoundationNetworking, which is what
/// the tests and the device command line use; so the one implementation is the
/// one tested.
///
/// Every request after enrolment carries `Authorization: Bearer <token>`.
/// A non-2xx answer becomes a ``SyncTransportError`` of kind `.server` with the
/// status and the server's ``ErrorBody``.
///
/// On the wire (by default): request bodies of at least
/// ``Configuration/compressionMinimumBytes`` go gzipped (`Content-Encoding:
/// gzip`), answers are accepted gzipped (`Accept-Encoding: gzip`), and
/// operations travel in the ``WireFormat/columns`` layout, named by
/// `Content-Type` and `Accept`; the answer's `Content-Type` says how to read it.
/// Each call is one HTTP round trip; a ``TransferMeter`` counts them and their bytes.
public struct HTTPSyncTransport: SyncTransport {
    /// Where the server is, how long to wait, and how bodies travel.
    public struct Configuration: Sendable, Hashable {
        /// The server's base URL, e.g. `https://sync.example.org`; paths `/v1/...` are appended.
        public var baseURL: URL
        /// How long one request may take, start to end of the answer. Default 30 s.
        public var requestTimeout: Duration
        /// How operations are laid out in bodies. Default ``WireFormat/columns``.
        public var format: WireFormat
        /// Whether to gzip request bodies and ask for gzipped answers. Default true.
        public var compression: Bool
        /// Request bodies smaller than this go uncompressed. Default 512 bytes.
        public var compressionMinimumBytes: Int
        /// The largest answer accepted once decompressed. Default 64 MiB.
        public var maximumResponseBytes: Int

        public init(
            baseURL: URL, requestTimeout: Duration = .seconds(30), format: WireFormat = .columns,
            compression: Bool = true, compressionMinimumBytes: Int = 512, maximumResponseBytes: Int = 64 << 20
        ) {
            self.baseURL = baseURL
            self.requestTimeout = requestTimeout
            self.format = format
            self.compression = compression
            self.compressionMinimumBytes = compressionMinimumBytes
            self.maximumResponseBytes = maximumResponseBytes
        }
    }

    public let configuration: Configuration
    /// The device credential (from ``EnrolmentResponse/token``); nil before enrolment.
    public let token: String?
    /// Counts round trips and body bytes, if given.
    public let meter: TransferMeter?
    private let session: URLSession

    /// - Parameters:
    ///   - token: the bearer token; nil allows only ``enrol(_:)``.
    ///   - meter: where to count round trips and bytes (e.g. to show data use).
    public init(configuration: Configuration, token: String? = nil, meter: TransferMeter? = nil) {
        self.configuration = configuration
        self.token = token
        self.meter = meter
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        let seconds = configuration.requestTimeout.timeInterval
        sessionConfiguration.timeoutIntervalForRequest = seconds
        sessionConfiguration.timeoutIntervalForResource = seconds
        sessionConfiguration.httpCookieStorage = nil
        sessionConfiguration.urlCache = nil
        self.session = URLSession(configuration: sessionConfiguration)
    }

    /// The same server with another credential (e.g. after enrolling).
    public func withToken(_ token: String) -> HTTPSyncTransport {
        HTTPSyncTransport(configuration: configuration, token: token, meter: meter)
    }

    public func enrol(_ request: EnrolmentRequest) async throws(SyncTransportError) -> EnrolmentResponse {
        try await send("POST", "v1/enrol", body: try encode(request), authenticated: false)
    }

    public func push(_ request: PushRequest) async throws(SyncTransportError) -> PushResponse {
        try await send("POST", "v1/push", body: try encode(request))
    }

    public func pull(after cursor: UInt64, limit: Int?) async throws(SyncTransportError) -> PullResponse {
        var query = [URLQueryItem(name: "after", value: String(cursor))]
        if let limit { query.append(URLQueryItem(name: "limit", value: String(limit))) }
        return try await send("GET", "v1/pull", query: query, body: nil)
    }

    public func sync(_ request: SyncRequest) async throws(SyncTransportError) -> SyncResponse {
        try await send("POST", "v1/sync", body: try encode(request))
    }

    // MARK: - Requests

    private func encode(_ value: some Encodable) throws(SyncTransportError) -> Data {
        do {
            let encoder = JSONEncoder()
            // Sorted keys: the same object spelled the same way each time compresses better.
            encoder.outputFormatting = [.sortedKeys]
            encoder.userInfo[WireFormat.userInfoKey] = configuration.format
            return try encoder.encode(value)
        } catch {
            throw SyncTransportError(.invalidRequest, message: "the message does not encode as JSON")
        }
    }

    private func send<Answer: Decodable>(
        _ method: String, _ path: String, query: [URLQueryItem] = [], body: Data?, authenticated: Bool = true
    ) async throws(SyncTransportError) -> Answer {
        let request = try makeRequest(method, path, query: query, body: body, authenticated: authenticated)
        let received: Data
        let response: URLResponse
        do {
            (received, response) = try await session.dataCancellable(for: request)
        } catch {
            throw Self.mapped(error)
        }
        guard let http = response as? HTTPURLResponse else {
            throw SyncTransportError(.invalidResponse, message: "the answer is not HTTP")
        }
        let data = try decompressed(received, status: http.statusCode)
        await meter?.record(
            sent: request.httpBody?.count ?? 0, sentUncompressed: body?.count ?? 0,
            received: Self.wireLength(of: http, received: received), receivedUncompressed: data.count)
        guard (200..<300).contains(http.statusCode) else {
            let body = try? JSONDecoder().decode(ErrorBody.self, from: data)
            throw SyncTransportError(
                .server, status: http.statusCode, error: body,
                message: body?.message ?? "the server answered HTTP \(http.statusCode)")
        }
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[WireFormat.userInfoKey] = WireFormat(header: http.value(forHTTPHeaderField: "Content-Type"))
            return try decoder.decode(Answer.self, from: data)
        } catch {
            throw SyncTransportError(
                .invalidResponse, status: http.statusCode, message: "the answer is not a valid \(Answer.self)")
        }
    }

    private func makeRequest(
        _ method: String, _ path: String, query: [URLQueryItem], body: Data?, authenticated: Bool
    ) throws(SyncTransportError) -> URLRequest {
        var components = URLComponents(
            url: configuration.baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)
        if !query.isEmpty { components?.queryItems = query }
        guard let url = components?.url else {
            throw SyncTransportError(.invalidRequest, message: "the server URL is not valid")
        }
        var request = URLRequest(url: url, timeoutInterval: configuration.requestTimeout.timeInterval)
        request.httpMethod = method
        // Error answers are always plain JSON, so it is accepted too.
        let accept = configuration.format == .json ? "application/json" : "\(configuration.format.mediaType), application/json"
        request.setValue(accept, forHTTPHeaderField: "Accept")
        // Said either way: URLSession (libcurl on Linux) would otherwise ask for gzip on its own.
        request.setValue(configuration.compression ? "gzip" : "identity", forHTTPHeaderField: "Accept-Encoding")
        if let body {
            request.setValue(configuration.format.mediaType, forHTTPHeaderField: "Content-Type")
            if configuration.compression, body.count >= configuration.compressionMinimumBytes {
                request.httpBody = Data(Gzip.compress(Array(body)))
                request.setValue("gzip", forHTTPHeaderField: "Content-Encoding")
            } else {
                request.httpBody = body
            }
        }
        if authenticated {
            guard let token else {
                throw SyncTransportError(.invalidRequest, message: "the device is not enrolled: no credential")
            }
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        }
        return request
    }

    /// The answer's body as the server wrote it. URLSession may already have
    /// decompressed a gzipped answer (FoundationNetworking's libcurl and Apple's
    /// stack both can); what still starts with gzip's magic bytes is gunzipped
    /// here (JSON never starts with them). A gzipped body cut short is an invalid answer.
    private func decompressed(_ received: Data, status: Int) throws(SyncTransportError) -> Data {
        guard Gzip.looksCompressed(received) else { return received }
        do {
            return Data(try Gzip.decompress(received, maximumBytes: configuration.maximumResponseBytes))
        } catch {
            throw SyncTransportError(
                .invalidResponse, status: status, message: "the gzipped answer is cut short, corrupt or too large")
        }
    }

    /// The answer's body length on the wire: its `Content-Length` when it came
    /// gzipped (URLSession may hand over the body decompressed), else what arrived.
    private static func wireLength(of response: HTTPURLResponse, received: Data) -> Int {
        guard response.value(forHTTPHeaderField: "Content-Encoding")?.lowercased() == "gzip",
            let length = response.value(forHTTPHeaderField: "Content-Length").flatMap(Int.init)
        else { return received.count }
        return length
    }

    /// Maps what URLSession throws to a transport error.
    static func mapped(_ error: any Error) -> SyncTransportError {
        if error is CancellationError {
            return SyncTransportError(.cancelled, message: "the request was cancelled")
        }
        if let urlError = error as? URLError {
            switch urlError.code {
            case .cancelled:
                return SyncTransportError(.cancelled, message: "the request was cancelled")
            case .timedOut:
                return SyncTransportError(.timedOut, message: "the request timed out")
            case .badURL, .unsupportedURL:
                return SyncTransportError(.invalidRequest, message: "the server URL is not valid")
            default:
                return SyncTransportError(.unreachable, message: "no answer from the server (URLError \(urlError.code.rawValue))")
            }
        }
        return SyncTransportError(.unreachable, message: "no answer from the server")
    }
}

extension Duration {
    /// The duration in seconds, for Foundation's `TimeInterval` APIs.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
