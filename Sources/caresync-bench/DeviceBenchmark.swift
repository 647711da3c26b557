import ArgumentParser

struct DeviceBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device", abstract: "Device store: durable writes, open and query times.")

    func run() async throws {
        throw ValidationError("the device benchmark is not built yet")
    }
}
