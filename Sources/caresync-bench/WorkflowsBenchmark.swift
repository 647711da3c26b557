import ArgumentParser
import CareModel
import CareServer
import Foundation

/// `tools/bench workflows`: the overdue monitor's scan over a week of scheduled
/// visits (100k by default) in the server's SQLite schedule index, against a
/// plain indexed query over the same table returning as many rows, in the same
/// run (target: scan ≤ 2× the plain query).
struct WorkflowsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflows", abstract: "Overdue scan over 100k scheduled visits vs a plain indexed query.")

    @Option(help: "Scheduled visits.")
    var visits = 100_000
    @Option(help: "Teams the visits belong to (three contracts cover them).")
    var teams = 12
    @Option(help: "Percent of started visits whose check-in has arrived.")
    var checkedIn = 95
    @Option(help: "Operations per ingested batch.")
    var batchSize = 1_000
    @Option(help: "Repetitions of each query; the median is reported.")
    var runs = 21

    func run() async throws {
        var report = BenchReport("workflows")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("caresync-bench-workflows-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let storage = try SQLiteSyncStorage(path: directory.appendingPathComponent("server.sqlite").path)

        let teamIDs = (0..<teams).map { TeamID("team-\($0)")! }
        let workload = ScheduleWorkload(visits: visits, teams: teamIDs, checkedInPercent: checkedIn)
        let ingest = try await measureAsync { try await workload.ingest(into: storage, batchSize: batchSize) }
        report.note(
            "\(visits) visits over a week in \(teams) teams, \(checkedIn)% of started ones checked in; "
                + "ingested through the planner in \(String(format: "%.1f", ingest)) s")

        // Three contracts: a third of the teams each, with different tolerances; the last is the default.
        let third = max(teams / 3, 1)
        let settings = WorkflowSettings(
            defaultContract: CareContract(lateToleranceMinutes: 45),
            contracts: [
                CareContract(id: "a", teams: Array(teamIDs.prefix(third)), lateToleranceMinutes: 15),
                CareContract(id: "b", teams: Array(teamIDs.dropFirst(third).prefix(third)), lateToleranceMinutes: 30),
            ])
        let now = workload.now
        var found = 0
        let scan = try await medianAsync(runs: runs) {
            found = 0
            for (contract, selection) in settings.selections {
                found += try await storage.overdueCandidates(
                    selection, startedBy: now - contract.lateToleranceMillis, limit: visits
                ).count
            }
        }
        // The plain query: the coordinators' list query, an index range over
        // (team, scheduled_start), sized to return as many rows as the scan.
        let window = workload.scheduledStart(max(found, 1)) - ScheduleWorkload.start
        var listed = 0
        let plain = try await medianAsync(runs: runs) {
            listed = try await storage.scheduledVisits(teams: teamIDs, from: now - window, to: now, limit: visits).count
        }
        report.note("overdue candidates: \(found); plain query rows: \(listed)")
        report.add("overdue_scan_ms", scan * 1_000, "overdue scan (all contracts)", unit: "ms", digits: 2)
        report.add("plain_indexed_query_ms", plain * 1_000, "plain indexed query, same row count", unit: "ms", digits: 2)
        report.add("scan_vs_plain", scan / plain, "scan / plain indexed query (target ≤ 2)", unit: "", digits: 2)
        report.record("overdue_candidates", found)
        try await storage.close()
        report.finish()
    }
}
