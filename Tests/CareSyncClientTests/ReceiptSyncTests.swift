import CareModel
import CareStore
import CareSyncClient
import Foundation
import Testing

/// Receipts end to end: a real server signs, the sync engine checks, the real
/// SQLite device store keeps; the command line exports and verifies them.
@Suite("Signed receipts on the device", .serialized)
struct ReceiptSyncTests {
    /// A care worker with a planned visit, who recorded a check-in and a note offline.
    static func workerWithEvidence(
        trusting serverKey: ServerPublicKey? = nil, keepsServerKey: Bool = true,
        _ body: @Sendable (ClientTestServer, ClientDevice, RecordID) async throws -> Void
    ) async throws {
        try await TestDirectory.with { directory in
            try await ClientTestServer.run(databasePath: directory.path("server.sqlite")) { server in
                try await server.createWorker("coord-1", roles: [.coordinator], teams: ["north"])
                let worker = try await ClientDevice.enrol(
                    "worker-a", role: .careWorker, team: "north", createWith: [.careWorker], on: server, in: directory,
                    trusting: serverKey, keepsServerKey: keepsServerKey)
                let visit = try await OfficePlanner("coord-1", on: server).planVisit(
                    team: "north", assigned: ["worker-a"], on: server)
                #expect(await worker.engine.sync().activity == .idle)
                try await worker.store.checkIn(visit: visit, AttendanceEvidence(method: .manual))
                let note = try await worker.store.addNote(visit: visit, text: "Lunch eaten, in good spirits.")
                try await body(server, worker, note.record.id)
            }
        }
    }

    @Test("after a sync the store holds a verified receipt for each of its operations, in both wire formats", arguments: WireFormat.allCases)
    func storedAfterSync(format: WireFormat) async throws {
        try await Self.workerWithEvidence { server, worker, note in
            let engine = SyncEngine(
                store: worker.store,
                transport: HTTPSyncTransport(
                    configuration: .init(baseURL: server.baseURL, format: format), token: worker.enrolment.token),
                signer: ClientDevice.signer, sleep: ClientDevice.noWait)
            let status = await engine.sync()
            #expect(status.activity == .idle)
            #expect(status.refusedReceiptCount == 0)
            let key = try #require(try await worker.store.serverKey())
            #expect(key.base64 == server.serverKey)
            let operations = try await worker.store.localOperations()
            #expect(operations.count == 2)
            for chained in operations {
                let receipt = try #require(try await worker.store.receipt(for: chained.operation.id))
                try receipt.verify(with: key)
                #expect(receipt.entry.hash == chained.hash)
                #expect(receipt.entry.id == chained.operation.id)
            }
            let noteReceipts = try await worker.store.receipts(for: RecordRef(kind: .visitNote, id: note))
            #expect(noteReceipts.map(\.entry.counter) == [2])
            // Synced again (nothing pending): the receipts stay as they were.
            #expect(await engine.sync().activity == .idle)
            #expect(try await worker.store.receipts(for: RecordRef(kind: .visitNote, id: note)) == noteReceipts)
        }
    }

    @Test("receipts that do not verify against the trusted key leave the operations unacknowledged, with a clear error")
    func invalidReceiptNotAcknowledged() async throws {
        let impostor = try ServerPublicKey(base64: ChainHeadSigner().publicKeyBase64)
        try await Self.workerWithEvidence(trusting: impostor) { server, worker, _ in
            let status = await worker.engine.sync()
            #expect(status.activity == .error(code: "receipt_signature_invalid"))
            #expect(status.refusedReceiptCount == 2)
            #expect(status.pendingUploadCount == 2)
            #expect(try await worker.store.pendingUploadCount() == 2)
            for chained in try await worker.store.localOperations() {
                #expect(try await worker.store.receipt(for: chained.operation.id) == nil)
                #expect(try await worker.store.syncState(of: chained.operation.record) != .acknowledged)
            }
            // The server did store them: only the device's acknowledgement waits on a valid receipt.
            #expect(try await server.operationCount() == 3)
        }
    }

    @Test("a store made before receipts (no server key) syncs as before and keeps no receipt")
    func storeWithoutKey() async throws {
        try await Self.workerWithEvidence(keepsServerKey: false) { _, worker, _ in
            let status = await worker.engine.sync()
            #expect(status.activity == .idle)
            #expect(status.pendingUploadCount == 0)
            #expect(try await worker.store.serverKey() == nil)
            for chained in try await worker.store.localOperations() {
                #expect(try await worker.store.receipt(for: chained.operation.id) == nil)
            }
        }
    }

    @Test("a store keeps the first server key it trusts and refuses another")
    func serverKeyPinned() async throws {
        try await Self.workerWithEvidence { server, worker, _ in
            let other = try ServerPublicKey(base64: ChainHeadSigner().publicKeyBase64)
            await #expect(throws: CareStoreError.self) { try await worker.store.setServerKey(other) }
            try await worker.store.setServerKey(try ServerPublicKey(base64: server.serverKey))
            #expect(try await worker.store.serverKey()?.base64 == server.serverKey)
        }
    }
}
