import ArgumentParser
import CareModel
import CareStore
import Foundation
import GRDBSQLite

/// `tools/bench device`: the device store's durable write latency against a raw
/// SQLite insert+commit with the same durability settings (same run, same
/// disk, alternating), and open + "today's visits" time with a large op log.
struct DeviceBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device", abstract: "Device store: durable writes, open and query times.")

    @Option(help: "Operations in the log for the open and query figures.")
    var operations = 100_000

    @Option(help: "Durable note writes (and raw inserts) measured.")
    var writes = 400

    @Option(help: "Folder for the database files (default: the system's temporary folder).")
    var folder: String?

    func run() async throws {
        let base = folder ?? FileManager.default.temporaryDirectory.path
        let directory = URL(fileURLWithPath: base).appendingPathComponent("caresync-bench-device-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        print("device benchmark in \(directory)")

        let path = URL(fileURLWithPath: directory).appendingPathComponent("store.sqlite").path
        let world = BenchWorld()
        let store = try await CareStore.open(path: path, identity: world.identity)
        let started = ContinuousClock.now
        let day = try await world.populate(store, operations: operations)
        let populateSeconds = (ContinuousClock.now - started).seconds
        print(String(format: "populated %d ops in %.1f s (pages of 1,000 through applyRemote)", operations, populateSeconds))

        // Durable note writes on the full store, alternating with raw inserts of
        // rows of the same size into a plain table with the same settings.
        let raw = try RawSQLite(path: URL(fileURLWithPath: directory).appendingPathComponent("raw.sqlite").path)
        let visit = day.visits[0]
        var storeLatencies: [Double] = []
        var rawLatencies: [Double] = []
        var rowSize = 0
        var storeCPU: [Double] = []
        var rawCPU: [Double] = []
        for index in 0..<writes {
            let text = "Visit went well; took medication with breakfast, mobility fine. Note \(index)."
            let cpuBefore = processCPUMilliseconds()
            let before = ContinuousClock.now
            let receipt = try await store.addNote(visit: visit, text: text)
            storeLatencies.append((ContinuousClock.now - before).milliseconds)
            storeCPU.append(processCPUMilliseconds() - cpuBefore)
            if rowSize == 0 {
                rowSize = try await store.localOperations(from: receipt.operation.counter, limit: 1)[0].canonicalBytes.count
            }
            let rawCPUBefore = processCPUMilliseconds()
            rawLatencies.append(try raw.insertAndCommit(size: rowSize))
            rawCPU.append(processCPUMilliseconds() - rawCPUBefore)
        }
        raw.close()
        try store.close()

        // Open + today's visits, with the full log.
        var openTimes: [Double] = []
        var queryTimes: [Double] = []
        var visitCount = 0
        for _ in 0..<15 {
            let opening = ContinuousClock.now
            let reopened = try await CareStore.open(path: path, identity: world.identity)
            openTimes.append((ContinuousClock.now - opening).milliseconds)
            let querying = ContinuousClock.now
            let visits = try await reopened.todaysVisits(on: day.date, in: TimeZone(identifier: "Europe/London")!)
            queryTimes.append((ContinuousClock.now - querying).milliseconds)
            visitCount = visits.count
            try reopened.close()
        }

        let writeMedian = percentile(storeLatencies, 0.5)
        let writeP99 = percentile(storeLatencies, 0.99)
        let rawMedian = percentile(rawLatencies, 0.5)
        let ratio = writeMedian / rawMedian
        let openMedian = percentile(openTimes, 0.5)
        let queryMedian = percentile(queryTimes, 0.5)
        let logOps = operations + writes
        print("")
        print(String(format: "durable note write:      median %.2f ms, p99 %.2f ms (%d writes, %d ops in the log)", writeMedian, writeP99, writes, logOps))
        print(String(format: "raw insert+commit:       median %.2f ms (%d-byte row, WAL, synchronous=FULL)", rawMedian, rowSize))
        print(String(format: "CPU time per write:      store %.2f ms, raw %.2f ms (median; the rest is waiting for the disk)", percentile(storeCPU, 0.5), percentile(rawCPU, 0.5)))
        print(String(format: "ratio write / raw:       %.2f (target <= 1.3)", ratio))
        print(String(format: "open:                    median %.2f ms (first %.2f ms)", openMedian, openTimes[0]))
        print(String(format: "today's visits:          median %.2f ms (%d visits)", queryMedian, visitCount))
        print(String(format: "open + today's visits:   %.2f ms (target <= 50 ms)", openMedian + queryMedian))
        let figures: [(String, String)] = [
            ("benchmark", "\"device\""), ("ops_in_log", "\(logOps)"), ("writes", "\(writes)"),
            ("note_write_median_ms", format(writeMedian)), ("note_write_p99_ms", format(writeP99)),
            ("raw_insert_commit_median_ms", format(rawMedian)), ("raw_row_bytes", "\(rowSize)"),
            ("write_to_raw_ratio", format(ratio)), ("note_write_cpu_median_ms", format(percentile(storeCPU, 0.5))),
            ("raw_insert_cpu_median_ms", format(percentile(rawCPU, 0.5))), ("open_median_ms", format(openMedian)),
            ("open_first_ms", format(openTimes[0])), ("todays_visits_median_ms", format(queryMedian)),
            ("todays_visits_count", "\(visitCount)"), ("open_plus_todays_visits_ms", format(openMedian + queryMedian)),
            ("populate_seconds", format(populateSeconds)),
        ]
        print("{" + figures.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
    }

    private func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
    }

    private func format(_ value: Double) -> String { String(format: "%.3f", value) }
}

/// CPU time used by the whole process so far (every thread), in milliseconds.
func processCPUMilliseconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1_000 + Double(time.tv_nsec) / 1e6
}


/// The baseline: one row inserted and committed with the raw C API, in WAL with
/// `synchronous = FULL`, like the store.
final class RawSQLite {
    private var connection: OpaquePointer?
    private var insert: OpaquePointer?

    init(path: String) throws {
        guard sqlite3_open(path, &connection) == SQLITE_OK else { throw ValidationError("cannot open \(path)") }
        for sql in [
            "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
            "CREATE TABLE row (id INTEGER PRIMARY KEY, body BLOB NOT NULL)",
        ] {
            guard sqlite3_exec(connection, sql, nil, nil, nil) == SQLITE_OK else { throw ValidationError("failed: \(sql)") }
        }
        guard sqlite3_prepare_v2(connection, "INSERT INTO row (body) VALUES (?)", -1, &insert, nil) == SQLITE_OK else {
            throw ValidationError("cannot prepare the insert")
        }
    }

    /// Inserts a row of `size` bytes in its own transaction; returns the time in ms.
    func insertAndCommit(size: Int) throws -> Double {
        let body = [UInt8](repeating: 0x61, count: size)
        let started = ContinuousClock.now
        sqlite3_exec(connection, "BEGIN IMMEDIATE", nil, nil, nil)
        let step = body.withUnsafeBytes { buffer in
            sqlite3_bind_blob(insert, 1, buffer.baseAddress, Int32(size), nil)
            defer { sqlite3_reset(insert) }
            return sqlite3_step(insert)
        }
        guard step == SQLITE_DONE, sqlite3_exec(connection, "COMMIT", nil, nil, nil) == SQLITE_OK else {
            throw ValidationError("raw insert failed")
        }
        return (ContinuousClock.now - started).milliseconds
    }

    func close() {
        sqlite3_finalize(insert)
        sqlite3_close(connection)
    }
}

/// A synthetic but realistic device log: this worker's visits over many days
/// (about 11 a day) among the team's, each with the office's plan and the
/// evidence and notes of the workers at the door.
struct BenchWorld {
    let identity = StoreIdentity(
        worker: WorkerID("bench-worker")!, role: .careWorker, replica: ReplicaID("01900000-0000-7000-8000-0000000b0001")!,
        device: DeviceID("01900000-0000-7000-8000-0000000b0002")!)

    struct Day {
        var date: Date
        var visits: [RecordID]
    }

    func populate(_ store: CareStore, operations target: Int) async throws -> Day {
        var random = SplitMix64(seed: 2026)
        var office = LocalReplica(
            replica: ReplicaID("01900000-0000-7000-8000-0000000b00ff")!,
            device: DeviceID("01900000-0000-7000-8000-0000000b00fe")!, author: WorkerID("office-1")!)
        var colleagues = (0..<8).map { index in
            LocalReplica(
                replica: ReplicaID(uuid: UUIDValue(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0C00_0000 | UInt64(index))),
                device: DeviceID(uuid: UUIDValue(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0D00_0000 | UInt64(index))),
                author: WorkerID("colleague-\(index)")!)
        }
        var previousPhone = LocalReplica(
            replica: ReplicaID("01900000-0000-7000-8000-0000000b0003")!,
            device: DeviceID("01900000-0000-7000-8000-0000000b0004")!, author: identity.worker)
        let firstDay: Int64 = 1_767_225_600_000  // 2026-01-01T00:00Z
        var page: [CareModel.Operation] = []
        var written = 0
        var cursor: UInt64 = 0
        var visitNumber: UInt64 = 0
        var todaysVisits: [RecordID] = []
        let opsPerVisit = 30
        let visitsTotal = target / opsPerVisit
        let todayIndex = visitsTotal / 44  // the middle day of the log
        while written < target {
            visitNumber += 1
            let dayIndex = Int(visitNumber - 1) / 22
            let id = RecordID(uuid: UUIDValue(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0000_0000 | visitNumber))
            let start = firstDay + Int64(dayIndex) * 86_400_000 + 7 * 3_600_000 + Int64(visitNumber % 22) * 1_800_000
            let mine = visitNumber % 2 == 0
            var colleague = mine ? previousPhone : colleagues[Int(visitNumber % 8)]
            let worker = mine ? identity.worker.rawValue : colleague.author.rawValue
            var state = CareState()
            let ref = RecordRef(kind: .visit, id: id)
            func add(_ operation: CareModel.Operation) throws {
                try state.apply(operation)
                page.append(operation)
                written += 1
            }
            try add(
                office.write(
                    ref, .create,
                    [
                        .set(Visit.Field.resident, .string("resident-\(visitNumber % 60)")), .set(Visit.Field.team, "team-a"),
                        .set(Visit.Field.assignedWorkers, [.string(worker)]), .set(Visit.Field.scheduledStart, .int(start)),
                        .set(Visit.Field.scheduledEnd, .int(start + 1_800_000)),
                        .set(Visit.Field.plannedTasks, ["medication", "meal", "wash"]),
                    ], context: VersionVector(), physicalMillis: start - 86_400_000
                ).operation)
            if dayIndex == todayIndex && mine { todaysVisits.append(id) }
            // The evidence and notes of the day, by the worker at the door
            // (for this worker's visits: their earlier phone, another replica).
            for step in 1..<opsPerVisit where written < target {
                let time = start + Int64(step) * 60_000
                if step % 10 == 0 {
                    let note = RecordRef(
                        kind: .visitNote,
                        id: RecordID(uuid: UUIDValue.version7(unixMillis: time, using: &random)))
                    var noteState = CareState()
                    let operation = try colleague.write(
                        note, .create,
                        [
                            .set(VisitNote.Field.visit, .string(id.description)),
                            .set(VisitNote.Field.text, .string("Note \(step): all tasks done, resident in good spirits.")),
                        ], context: VersionVector(), physicalMillis: time
                    ).operation
                    try noteState.apply(operation)
                    page.append(operation)
                    written += 1
                } else {
                    let change: Change =
                        step == 1
                        ? .append(Visit.Field.checkIns, ["time": .int(time), "method": "nfc"])
                        : .append(Visit.Field.tasksDone, ["task": .string("task-\(step)"), "quantity": 1])
                    try add(
                        colleague.write(ref, .update, [change], context: state[ref]!.version, physicalMillis: time).operation)
                }
            }
            if mine { previousPhone = colleague } else { colleagues[Int(visitNumber % 8)] = colleague }
            if page.count >= 1_000 || written >= target {
                cursor += 1
                try await store.applyRemote(page, cursor: cursor)
                page.removeAll(keepingCapacity: true)
            }
        }
        let date = Date(timeIntervalSince1970: Double(firstDay + Int64(todayIndex) * 86_400_000 + 12 * 3_600_000) / 1000)
        return Day(date: date, visits: todaysVisits)
    }
}

