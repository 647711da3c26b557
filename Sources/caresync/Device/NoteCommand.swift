import ArgumentParser
import CareStore

/// `caresync device note VISIT TEXT`.
struct NoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "note", abstract: "Write a note on a visit.")

    @OptionGroup var options: DeviceOptions
    @Argument(help: "The visit id.")
    var visit: String
    @Argument(help: "The note's text.")
    var text: String

    func run() async throws {
        let visit = try DeviceFormat.recordID(visit, "visit")
        try await options.withDevice { _, store in
            let receipt = try await store.addNote(visit: visit, text: text)
            print("note \(receipt.record.id) written")
        }
    }
}
