import CareModel
import Crypto
import Foundation
import Hummingbird
import Logging

/// `POST /v1/push`, `GET /v1/pull`, `POST /v1/sync`: the device side of the API.
struct SyncEndpoints: Sendable {
    let storage: any SyncStorage
    let planner: IngestPlanner
    let configuration: ServerConfiguration
    let clock: any WallClock
    let metrics: SyncMetrics
    let authenticator: DeviceAuthenticator
    let bodyReader: RequestBodyReader
    let connected: ConnectedDevices
    /// Signs each push's receipts (the server's identity key).
    let receiptKey: Curve25519.Signing.PrivateKey
    /// Bounds how many pushes read and store their batches at once.
    let pushGate: PushGate
    /// Where stored batches go for the log followers.
    let recentLog: RecentLog

    func register(on registrar: RouteRegistrar<SyncRequestContext>) {
        registrar.on(.post, "/v1/push") { request, context in
            let credential = try await authenticate(request)
            let response = try await pushGate.whileAdmitted {
                let push = try await bodyReader.decodeMessage(PushRequest.self, fastReader: PushRequest.init(json:), from: request)
                return try await self.push(push, credential: credential, logger: context.logger)
            }
            return JSONResponse.bytes(response.jsonBytes())
        }
        registrar.on(.get, "/v1/pull") { request, context in
            let credential = try await authenticate(request)
            let after = try Self.parameter(request, "after", default: 0) as UInt64
            let limit = try Self.parameter(request, "limit", default: configuration.defaultPageSize) as Int
            let page = try await pull(after: after, limit: limit, credential: credential)
            switch WireFormat(header: request.headers[.accept]) {
            case .json: return JSONResponse.bytes(JSONResponse.pullBody(page))
            case .columns: return try JSONResponse.encode(try page.response(), format: .columns)
            }
        }
        registrar.on(.post, "/v1/sync") { request, context in
            let credential = try await authenticate(request)
            let (sync, pushed) = try await pushGate.whileAdmitted {
                let sync = try await bodyReader.decodeMessage(SyncRequest.self, fastReader: SyncRequest.init(json:), from: request)
                // The pull's parameters first: a request refused for them stores nothing.
                try Self.checkPull(after: sync.after, limit: sync.limit ?? configuration.defaultPageSize, configuration)
                var pushed: PushResponse?
                if let push = sync.push { pushed = try await self.push(push, credential: credential, logger: context.logger) }
                return (sync, pushed)
            }
            let page = try await pull(after: sync.after, limit: sync.limit ?? configuration.defaultPageSize, credential: credential)
            switch WireFormat(header: request.headers[.accept]) {
            case .json:
                var body = Array("{".utf8)
                if let pushed {
                    body += Array("\"push\":".utf8) + pushed.jsonBytes() + [UInt8(ascii: ",")]
                }
                body += Array("\"pull\":".utf8) + JSONResponse.pullBody(page) + Array("}".utf8)
                return JSONResponse.bytes(body)
            case .columns:
                return try JSONResponse.encode(SyncResponse(push: pushed, pull: try page.response()), format: .columns)
            }
        }
    }

    private func authenticate(_ request: Request) async throws -> DeviceCredential {
        let credential = try await authenticator.authenticate(request)
        await connected.saw(credential.device.device, at: clock.nowMillis())
        return credential
    }

    /// Refuses a batch that claims another replica, author or device (logged as a
    /// forgery attempt), then lets storage and the planner answer each operation.
    func push(_ push: PushRequest, credential: DeviceCredential, logger: Logger) async throws -> PushResponse {
        let device = credential.device
        var forgery: ServerError?
        if push.replica != device.replica {
            forgery = ServerError(
                .replicaMismatch, "a device pushes only its own replica", field: "replica", status: .forbidden)
        }
        for (index, operation) in push.operations.enumerated() where forgery == nil {
            if operation.id.replica != device.replica {
                forgery = ServerError(
                    .replicaMismatch, "a device pushes only its own replica's operations",
                    field: "operations[\(index)].id.r", status: .forbidden)
            } else if operation.author != device.worker {
                forgery = ServerError(
                    .authorMismatch, "a device pushes only its own worker's operations",
                    field: "operations[\(index)].author", status: .forbidden)
            } else if operation.device != device.device {
                forgery = ServerError(
                    .deviceMismatch, "a device pushes only operations written on it",
                    field: "operations[\(index)].device", status: .forbidden)
            }
        }
        if let forgery {
            logger.warning(
                "push refused: forged identity",
                metadata: [
                    "error.code": "\(forgery.code)", "device": "\(device.device)", "worker": "\(device.worker)",
                ])
            throw forgery
        }
        guard push.operations.count <= configuration.maximumBatchOperations else {
            throw ServerError(
                .batchTooLarge, "a push may carry at most \(configuration.maximumBatchOperations) operations",
                field: "operations", status: .contentTooLarge)
        }
        // Both databases keep counters as signed 64-bit integers; the model
        // allows any UInt64. (Converting a larger one trapped: one request
        // from any enrolled device stopped the server.)
        if let index = push.operations.firstIndex(where: { $0.id.counter > Self.largestStoredNumber }) {
            throw ServerError(
                .invalidRequest, "an operation counter is at most \(Self.largestStoredNumber)",
                field: "operations[\(index)].id.c", status: .badRequest)
        }
        do {
            try PushSignatureCheck.check(push, device: device)
        } catch {
            logger.warning(
                "push refused: signature", metadata: ["error.code": "\(error.code)", "device": "\(device.device)"])
            throw error
        }
        // A large batch is sealed after the replica's last stored operation as
        // it is now, outside the ingest lock, so that under it the batch is not
        // hashed again; hashing a few operations again costs less than the read.
        // Only a guess: if the read fails, the planner hashes under the lock.
        var predecessor = OperationHash.genesis
        if push.operations.count >= Self.batchSizeWorthReadingHead,
            let stored = try? await storage.replicaHead(device.replica),
            stored.counter + 1 == push.operations.first?.id.counter
        {
            predecessor = stored.hash
        }
        let batch = IngestBatch(
            replica: device.replica, device: device.device, worker: credential.worker, operations: push.operations,
            head: push.head, receivedAt: clock.nowMillis(), signature: push.signature, predecessor: predecessor)
        let plan = try await storage.ingest(batch, planner: planner, addingTo: recentLog)
        metrics.recordPush(plan.results)
        let rejected = plan.results.filter { $0.status == .rejected }
        logger.info(
            "push",
            metadata: [
                "device": "\(device.device)", "operations": "\(plan.results.count)", "stored": "\(plan.storedCount)",
                "rejected": "\(rejected.count)",
                "rejected.codes": "\(Set(rejected.compactMap(\.error?.code)).sorted().joined(separator: ","))",
            ])
        // Signed after the commit, outside the transaction: one signature per push.
        return PushResponse(results: plan.results, receipts: ReceiptBatch(signing: plan.receipts, with: receiptKey))
    }

    /// The smallest push whose replica head is read before the ingest lock
    /// (see ``push(_:credential:logger:)``).
    static let batchSizeWorthReadingHead = 64

    func pull(after: UInt64, limit: Int, credential: DeviceCredential) async throws -> PullPage {
        try Self.checkPull(after: after, limit: limit, configuration)
        let filter = PullFilter(worker: credential.worker, excluding: credential.device.replica)
        return try await storage.pull(filter, after: after, limit: limit)
    }

    /// The largest counter or log position the databases store (`BIGINT`, `INTEGER`).
    static let largestStoredNumber = UInt64(Int64.max)

    /// Refuses a cursor past any log position the databases can hold, or a
    /// page size outside 1…`maximumPageSize` (400 `invalid_parameter`).
    static func checkPull(after: UInt64, limit: Int, _ configuration: ServerConfiguration) throws {
        guard after <= largestStoredNumber else {
            throw ServerError(
                .invalidParameter, "after is a log position, at most \(largestStoredNumber)", field: "after",
                status: .badRequest)
        }
        try checkPageLimit(limit, configuration)
    }

    /// Refuses a page size outside 1…`maximumPageSize` (400 `invalid_parameter`).
    static func checkPageLimit(_ limit: Int, _ configuration: ServerConfiguration) throws {
        guard (1...configuration.maximumPageSize).contains(limit) else {
            throw ServerError(
                .invalidParameter, "limit must be between 1 and \(configuration.maximumPageSize)", field: "limit",
                status: .badRequest)
        }
    }

    static func parameter<Value: LosslessStringConvertible>(
        _ request: Request, _ name: String, default value: Value
    ) throws -> Value {
        guard let text = request.uri.queryParameters[Substring(name)] else { return value }
        guard let parsed = Value(String(text)) else {
            throw ServerError(.invalidParameter, "\(name) must be a non-negative integer", field: name, status: .badRequest)
        }
        return parsed
    }
}
