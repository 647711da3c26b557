import ArgumentParser
import CareModel
import CareServer

/// `caresync admin list-devices`.
struct ListDevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list-devices", abstract: "List enrolled devices.")

    @OptionGroup var options: AdminOptions

    func run() async throws {
        let storage = try await options.openStorage()
        let devices = try await storage.devices()
        try await storage.close()
        if options.json { return try options.printJSON(devices) }
        for device in devices {
            let state = device.revokedAt.map { "revoked at \($0)" } ?? "active"
            print("\(device.device)\tworker=\(device.worker)\treplica=\(device.replica)\t\(state)")
        }
    }
}

/// `caresync admin revoke-device DEVICE`.
struct RevokeDeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke-device", abstract: "Revoke a device: its credential stops working at once.")

    @OptionGroup var options: AdminOptions
    @Argument(help: "The device id (UUID).")
    var device: String

    func validate() throws {
        guard DeviceID(device) != nil else { throw ValidationError("the device id must be a UUID") }
    }

    func run() async throws {
        let storage = try await options.openStorage()
        do {
            let summary = try await AdminService(storage: storage).revokeDevice(DeviceID(device)!)
            try await storage.close()
            if options.json { return try options.printJSON(summary) }
            print("device \(summary.device) revoked")
        } catch let error as ServerError {
            try await storage.close()
            throw AdminFailure(error.message)
        }
    }
}
