import CareModel
import CareSyncTestSupport
import Foundation
import Testing

@testable import CareStore

/// Kill -9 of the device process at random moments: every action whose call
/// had returned survives, and the store is always consistent.
struct CrashTests {
    /// The crash writer's identity (see Sources/care-store-crash-writer/main.swift).
    static let identity = StoreIdentity(
        worker: WorkerID("crash-worker")!, role: .careWorker,
        replica: ReplicaID("01900000-0000-7000-8000-00000000c0de")!,
        device: DeviceID("01900000-0000-7000-8000-00000000d0de")!)

    /// `care-store-crash-writer`, built beside the test binary.
    static func writerExecutable() throws -> URL {
        guard let writer = BuiltExecutable.url("care-store-crash-writer") else {
            throw CareStoreError(.invalidArgument, "care-store-crash-writer was not built beside the tests")
        }
        return writer
    }

    @Test("SIGKILL at 60 random moments: returned actions present, integrity ok, outbox = log")
    func killNine() async throws {
        let writer = try Self.writerExecutable()
        let folder = try TemporaryFolder()
        let path = folder.file("crash.sqlite")
        let seed = UInt64(Date().timeIntervalSince1970 * 1000)
        print("crash test seed \(seed)")
        var random = SplitMix64(seed: seed)
        var returned: [UInt64: String] = [:]
        var killedWhileWriting = 0

        for round in 0..<60 {
            let process = try ChildProcess(
                executable: writer.path, arguments: [path, String(seed &+ UInt64(round))], standardOutput: .pipe,
                standardError: .pipe)
            let output = process.standardOutput!
            var received = Data()
            if round % 6 == 5 {
                // Now and then, kill it while it opens or migrates the store.
                try await Task.sleep(for: .milliseconds(Int(random.next() % 60)))
            } else {
                // Otherwise wait until it is writing (its first line; empty at
                // exit), then kill it a random moment later.
                received = output.availableData
                try await Task.sleep(for: .milliseconds(Int(random.next() % 80)))
            }
            process.send(SIGKILL)
            let termination = process.waitUntilExit()
            received += output.readDataToEndOfFile()
            let text = String(decoding: received, as: UTF8.self)
            let problem = String(decoding: process.standardError!.readDataToEndOfFile(), as: UTF8.self)
            #expect(termination == .signalled(SIGKILL), "seed \(seed) round \(round): \(problem)")
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last?.isEmpty == false { lines.removeLast() }  // a partly written line: the call had not reported
            for line in lines where !line.isEmpty {
                let parts = line.split(separator: " ")
                guard parts.count == 3, let counter = UInt64(parts[0]) else {
                    Issue.record("unexpected output \(line)")
                    continue
                }
                returned[counter] = "\(parts[1])/\(parts[2])"
            }
            if !lines.isEmpty { killedWhileWriting += 1 }

            // As the app would after a crash: open the store, then check it.
            let store = try await CareStore.open(path: path, identity: Self.identity)
            let verification = try await store.verify()
            #expect(verification.integrityCheck == "ok", "seed \(seed) round \(round)")
            #expect(verification.problems == [], "seed \(seed) round \(round)")
            let operations = try await store.localOperations(limit: 1_000_000)
            let stored = Dictionary(
                uniqueKeysWithValues: operations.map { ($0.operation.id.counter, "\($0.operation.record)") })
            for (counter, record) in returned {
                #expect(stored[counter] == record, "seed \(seed) round \(round): returned action \(counter) lost")
            }
            #expect(try await store.pendingUploadCount() == operations.count)
            try store.close()
        }
        print("crash test: \(returned.count) actions returned over 60 kills, \(killedWhileWriting) kills while writing")
        #expect(killedWhileWriting >= 50, "seed \(seed): the writer was mostly killed before it wrote")
    }
}
