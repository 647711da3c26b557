import ArgumentParser
import CareModel
import Foundation

/// `caresync audit receipt FILE --server-key KEY`: checks one operation's
/// receipt (from `caresync device receipt`) offline, against the server's
/// public key. Exits 0 when valid, 1 naming what is wrong.
struct ReceiptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "Verify an operation's signed receipt offline against the server's public key.")

    @Argument(help: "The receipt file (JSON, as `caresync device receipt` writes it).")
    var file: String

    @Option(help: "The server's Ed25519 public key: base64, or @FILE to read it from a file (`GET /v1/server/identity` gives it).")
    var serverKey: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    /// What the command found, as `--json` prints it.
    struct Verdict: Encodable {
        var valid: Bool
        var code: String?
        var message: String?
        var entry: ReceiptEntry?
    }

    func run() async throws {
        let verdict = Self.verdict(file: file, serverKey: serverKey)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(verdict), as: UTF8.self))
        } else if verdict.valid, let entry = verdict.entry {
            print("valid: operation \(entry.counter) of replica \(entry.replica) (hash \(entry.hash.hex))")
            print("stored by the server at sequence \(entry.sequence), received \(HistoryCommand.iso(entry.receivedAt))")
        } else {
            print("INVALID: \(verdict.code ?? "invalid_receipt"): \(verdict.message ?? "")")
        }
        if !verdict.valid { throw ExitCode(1) }
    }

    static func verdict(file: String, serverKey: String) -> Verdict {
        let keyText: String
        if serverKey.hasPrefix("@") {
            guard let data = FileManager.default.contents(atPath: String(serverKey.dropFirst())) else {
                return Verdict(valid: false, code: "server_key_unreadable", message: "no key file at \(serverKey.dropFirst())")
            }
            keyText = String(decoding: data, as: UTF8.self)
        } else {
            keyText = serverKey
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            return Verdict(valid: false, code: "receipt_unreadable", message: "no receipt file at \(file)")
        }
        let receipt: OperationReceipt
        do {
            receipt = try JSONDecoder().decode(OperationReceipt.self, from: data)
        } catch {
            return Verdict(
                valid: false, code: CareModelError.Code.invalidReceipt.rawValue, message: "\(file) is not a receipt")
        }
        do throws(CareModelError) {
            try receipt.verify(with: try ServerPublicKey(base64: keyText))
            return Verdict(valid: true, entry: receipt.entry)
        } catch {
            return Verdict(valid: false, code: error.code.rawValue, message: error.message, entry: receipt.entry)
        }
    }
}
