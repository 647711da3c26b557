import CareModel
import CareServer
import Foundation
import Testing

@Suite("The workflows file: contracts and the abuse-report response")
struct WorkflowSettingsTests {
    static let valid = """
        {
          "default_contract": {"late_tolerance_minutes": 20, "time_zone": "UTC"},
          "contracts": [
            {"id": "council-north", "teams": ["north", "north-east"], "late_tolerance_minutes": 15,
             "missed_threshold_minutes": 45, "short_visit_percent": 80, "time_zone": "Europe/London"}
          ],
          "abuse_reports": {"acknowledgement_deadline_minutes": 30, "safeguarding_contacts": ["lead-1", "lead-2"]}
        }
        """

    @Test("a valid file gives each team its contract, the rest the default, and the abuse-report response")
    func validFile() throws {
        let settings = try WorkflowSettings.parse(Array(Self.valid.utf8))
        let north = settings.contract(for: TeamID("north-east"))
        #expect(north.id == "council-north")
        #expect(north.lateToleranceMinutes == 15)
        #expect(north.missedThresholdMinutes == 45)
        #expect(north.shortVisitPercent == 80)
        #expect(north.timeZone.identifier == "Europe/London")
        let other = settings.contract(for: TeamID("south"))
        #expect(other.id == "default")
        #expect(other.lateToleranceMinutes == 20)
        #expect(other.missedThresholdMinutes == 120)
        #expect(settings.abuseReports.acknowledgementDeadlineMinutes == 30)
        #expect(settings.abuseReports.safeguardingContacts.map(\.rawValue) == ["lead-1", "lead-2"])
        #expect(settings.selections.last?.teams == .allExcept([TeamID("north")!, TeamID("north-east")!]))
        #expect(try WorkflowSettings.parse(Array("{}".utf8)) == WorkflowSettings())
    }

    @Test(
        "a bad file is refused with invalid_workflow_settings and a message that says what is wrong",
        arguments: [
            ("[1, 2", "not valid JSON"),
            (#"{"contract": []}"#, "unknown key contract"),
            (#"{"default_contract": {"late_tolerance": 5}}"#, "unknown key default_contract.late_tolerance"),
            (#"{"default_contract": {"late_tolerance_minutes": -1}}"#, "late_tolerance_minutes must be an integer from 0 to 1440"),
            (#"{"default_contract": {"time_zone": "Mars/Olympus"}}"#, "Mars/Olympus is not a known time zone"),
            (#"{"default_contract": {"late_tolerance_minutes": 90, "missed_threshold_minutes": 60}}"#, "must not be below"),
            (#"{"contracts": [{"teams": ["a"]}, {"teams": ["a"]}]}"#, "team a is covered by more than one contract"),
            (#"{"contracts": [{"teams": []}]}"#, "contracts[0].teams must list at least one team"),
            (#"{"abuse_reports": {"safeguarding_contacts": ["not an id"]}}"#, "safeguarding_contacts[0] must be an identifier"),
            (#"{"abuse_reports": {"acknowledgement_deadline_minutes": 0}}"#, "acknowledgement_deadline_minutes must be"),
        ])
    func badFiles(text: String, message: String) throws {
        let error = try #require(throws: ServerError.self) { try WorkflowSettings.parse(Array(text.utf8)) }
        #expect(error.code == .invalidWorkflowSettings)
        #expect(error.message.contains(message), "\(error.message)")
    }

    @Test("a missing file names the file")
    func missingFile() throws {
        let error = try #require(throws: ServerError.self) { try WorkflowSettings.load(path: "/nonexistent/workflows.json") }
        #expect(error.code == .invalidWorkflowSettings)
        #expect(error.message.contains("/nonexistent/workflows.json"))
    }

    @Test("caresync-server refuses to start on a bad workflows file, saying why")
    func serverRefusesBadFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("caresync-workflows-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("workflows.json")
        try Data(#"{"default_contract": {"time_zone": "Mars/Olympus"}}"#.utf8).write(to: file)
        let server = try ServerProcess(arguments: [
            "--port", "0", "--database", directory.appendingPathComponent("server.sqlite").path, "--workflows", file.path,
        ])
        #expect(try await server.exitStatus() != 0)
        let output = server.standardError
        #expect(output.contains("invalid_workflow_settings"), "\(output)")
        #expect(output.contains("Mars/Olympus is not a known time zone"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("server.sqlite").path))
    }
}
