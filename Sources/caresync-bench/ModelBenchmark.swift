import ArgumentParser

struct ModelBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "CareModel: reduce and encode+hash throughput, causal context sizes.")

    func run() async throws {}
}
