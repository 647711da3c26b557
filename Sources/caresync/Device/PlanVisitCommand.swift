import ArgumentParser
import CareModel
import CareStore

/// `caresync device plan-visit`: a coordinator's device plans a visit for its team.
struct PlanVisitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan-visit",
        abstract: "Plan a visit for this device's team (a coordinator's device); it reaches the workers at their next sync.")

    @OptionGroup var options: DeviceOptions
    @Option(help: "The resident visited.")
    var resident: String
    @Option(name: .customLong("worker"), help: "An assigned worker (repeatable; two for a double-handed visit).")
    var workers: [String]
    @Option(help: "When the visit starts, ISO 8601 (default: now).")
    var start: String?
    @Option(help: "How long it lasts, in minutes.")
    var minutes: Int64 = 30
    @Option(name: .customLong("task"), help: "A planned task (repeatable).")
    var tasks: [String] = []

    func validate() throws {
        guard !workers.isEmpty else { throw ValidationError("give at least one --worker") }
        for worker in workers where WorkerID(worker) == nil { throw ValidationError("malformed worker id \(worker)") }
        if let start, DeviceFormat.millis(start) == nil { throw ValidationError("--start is not an ISO 8601 time") }
        guard minutes > 0 else { throw ValidationError("--minutes must be positive") }
    }

    func run() async throws {
        let begin = start.flatMap(DeviceFormat.millis) ?? DeviceFormat.now
        try await options.withDevice { _, store in
            let receipt = try await store.planVisit(
                resident: resident, assignedWorkers: workers.compactMap { WorkerID($0) }, scheduledStart: begin,
                scheduledEnd: begin + minutes * 60_000, plannedTasks: tasks)
            print("planned visit \(receipt.record.id) at \(DeviceFormat.time(begin)) (local only until `caresync device sync`)")
        }
    }
}
