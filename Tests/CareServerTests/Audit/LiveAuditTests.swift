import CareAudit
import CareModel
import CareServer
import Testing

/// Auditing a database while its server goes on taking pushes: a new device
/// enrols and pushes, and a known one pushes more, after the audit has read
/// its devices and signatures but before it reads the log.
@Suite("Auditing a database the server is writing to")
struct LiveAuditTests {
    @Test(
        "verify and export stop at the log's end as it was when they started: what arrives meanwhile is no finding",
        arguments: TestBackend.all)
    func writesDuringTheAudit(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            _ = try await AuditScenario.run(on: server)
            let storage = StorageAuditSource(storage: server.storage)

            let report = try await AuditVerification.verify(
                WrittenWhileRead(storage) { try await Self.newcomerPlansAVisit("coord-new-1", on: server) })
            #expect(report.isIntact, "\(report.findings)")
            #expect(report.operations == 10, "the log as it stood when the audit started")
            #expect(report.lastSequence == 10)

            let bytes = try await AuditScenario.export(
                WrittenWhileRead(storage) { try await Self.newcomerPlansAVisit("coord-new-2", on: server) })
            let exported = try await AuditVerification.verify(try ExportFileSource(bytes: bytes))
            #expect(exported.isIntact, "\(exported.findings)")
            #expect(exported.operations == 11, "the log as it stood when the export started")

            // Afterwards the whole log verifies, with all that arrived meanwhile.
            let whole = try await AuditVerification.verify(storage)
            #expect(whole.isIntact, "\(whole.findings)")
            #expect(whole.operations == 12)
        }
    }

    /// A coordinator whose device enrols now and pushes a visit: a replica the
    /// audit's list of devices, read before, does not hold.
    static func newcomerPlansAVisit(_ worker: String, on server: TestServer) async throws {
        var newcomer = try await server.enrol(worker, roles: [.coordinator], teams: ["north"])
        try await server.push(newcomer, [try newcomer.createVisit(team: "north", assigned: ["worker-a"]).operation])
    }
}

/// A source that runs `during` once, as the audit reads its first page of
/// operations (after its devices and signatures).
struct WrittenWhileRead: AuditLogSource {
    private actor Once {
        var work: (@Sendable () async throws -> Void)?
        init(_ work: @escaping @Sendable () async throws -> Void) { self.work = work }
        func run() async throws {
            guard let work else { return }
            self.work = nil
            try await work()
        }
    }

    let source: StorageAuditSource
    private let once: Once

    init(_ source: StorageAuditSource, during work: @escaping @Sendable () async throws -> Void) {
        self.source = source
        once = Once(work)
    }

    var isWholeLog: Bool { source.isWholeLog }
    func devices() async throws -> [DeviceSummary] { try await source.devices() }
    func signatures() async throws -> [StoredChainSignature] { try await source.signatures() }
    func sourceFindings() async throws -> [AuditFinding] { try await source.sourceFindings() }
    func lastSequence() async throws -> UInt64? { try await source.lastSequence() }

    func entries(after sequence: UInt64, limit: Int) async throws -> [AuditEntry] {
        try await once.run()
        return try await source.entries(after: sequence, limit: limit)
    }
}
