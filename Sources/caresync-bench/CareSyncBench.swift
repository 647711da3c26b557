import ArgumentParser

/// `tools/bench NAME`: each benchmark prints its figures for a person, then a
/// last line holding one JSON object with the same figures, for scripts.
@main
struct CareSyncBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caresync-bench",
        abstract: "CareSync benchmarks (run through tools/bench, in a release build).",
        subcommands: [
            ModelBenchmark.self, DeviceBenchmark.self, ServerBenchmark.self, SyncBenchmark.self, PostgresBenchmark.self,
            AuditBenchmark.self, WorkflowsBenchmark.self,
        ]
    )
}
