import ArgumentParser
import CareModel
import CareStore
import Foundation

/// `caresync device receipt <record id | op counter>`: writes the server's
/// signed receipt of one of this device's operations as JSON, for
/// `caresync audit receipt` (or anyone with the server's public key).
struct ReceiptExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "Write the server's signed receipt of a record (its first operation here) or of an operation.")

    @OptionGroup var options: DeviceOptions
    @Argument(help: "A record id (the receipt of this device's first operation on it) or an operation counter.")
    var target: String
    @Option(help: "Write the receipt to this file instead of standard output.")
    var output: String?

    func run() async throws {
        try await options.withDevice { profile, store in
            let receipt: OperationReceipt?
            if let counter = UInt64(target) {
                receipt = try await store.receipt(for: Dot(replica: profile.replica, counter: counter))
            } else {
                let id = try DeviceFormat.recordID(target, "record")
                receipt = try await Self.firstReceipt(of: id, in: store)
            }
            guard let receipt else {
                throw CommandFailure(
                    "no_receipt", "no receipt for \(target) on this device (not written here, or not acknowledged yet)")
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            let data = try encoder.encode(receipt)
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: data) else {
                    throw CommandFailure("receipt_not_saved", "could not write \(output)")
                }
                print("receipt of operation \(receipt.entry.counter) written to \(output)")
            } else {
                print(String(decoding: data, as: UTF8.self))
            }
        }
    }

    /// The receipt of this device's first operation on the record `id`, whatever its kind.
    static func firstReceipt(of id: RecordID, in store: CareStore) async throws -> OperationReceipt? {
        for kind in RecordKind.all {
            if let first = try await store.receipts(for: RecordRef(kind: kind, id: id)).first { return first }
        }
        return nil
    }
}
