public import CareModel
import Foundation
import Hummingbird

extension WorkflowSettings {
    /// Reads the workflows file at `path`. Throws ``ServerError`` `invalid_workflow_settings`
    /// naming the file and what is wrong (an unknown key, a value out of range,
    /// a team covered twice, an unknown time zone) so the server refuses to start.
    public static func load(path: String) throws -> WorkflowSettings {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw invalid("\(path): the file cannot be read")
        }
        do {
            return try parse(Array(data))
        } catch let error as ServerError {
            throw invalid("\(path): \(error.message)")
        }
    }

    /// Parses the file's JSON (see README.md, "Care workflows").
    public static func parse(_ bytes: [UInt8]) throws -> WorkflowSettings {
        guard let root = try? JSONDecoder().decode(Value.self, from: Data(bytes)) else {
            throw invalid("not valid JSON")
        }
        let file = try SettingsObject(root, path: "", keys: ["default_contract", "contracts", "abuse_reports"])
        let defaultContract = try file.object("default_contract").map { try contract($0, id: "default", teams: []) }
            ?? CareContract()
        var contracts: [CareContract] = []
        var covered: Set<TeamID> = []
        for (index, item) in try file.list("contracts").enumerated() {
            let object = try SettingsObject(item, path: "contracts[\(index)]", keys: contractKeys + ["id", "teams"])
            let id = try object.string("id") ?? "contract-\(index + 1)"
            let teams = try object.names("teams") { TeamID($0) }
            guard !teams.isEmpty else { throw invalid("contracts[\(index)].teams must list at least one team") }
            for team in teams where !covered.insert(team).inserted {
                throw invalid("team \(team) is covered by more than one contract")
            }
            contracts.append(try contract(object, id: id, teams: teams))
        }
        var abuseReports = AbuseReportSettings()
        if let object = try file.object("abuse_reports") {
            let response = try SettingsObject(
                object.value, path: "abuse_reports", keys: ["acknowledgement_deadline_minutes", "safeguarding_contacts"])
            abuseReports.acknowledgementDeadlineMinutes =
                try response.integer("acknowledgement_deadline_minutes", in: 1...10_080)
                ?? abuseReports.acknowledgementDeadlineMinutes
            abuseReports.safeguardingContacts = try response.names("safeguarding_contacts") { WorkerID($0) }
        }
        return WorkflowSettings(defaultContract: defaultContract, contracts: contracts, abuseReports: abuseReports)
    }

    private static let contractKeys = [
        "late_tolerance_minutes", "missed_threshold_minutes", "short_visit_percent", "time_zone",
    ]

    private static func contract(_ object: SettingsObject, id: String, teams: [TeamID]) throws -> CareContract {
        let checked = try SettingsObject(object.value, path: object.path, keys: contractKeys + (teams.isEmpty ? [] : ["id", "teams"]))
        var contract = CareContract(id: id, teams: teams)
        contract.lateToleranceMinutes = try checked.integer("late_tolerance_minutes", in: 0...1_440) ?? contract.lateToleranceMinutes
        contract.missedThresholdMinutes =
            try checked.integer("missed_threshold_minutes", in: 0...10_080) ?? contract.missedThresholdMinutes
        contract.shortVisitPercent = try checked.integer("short_visit_percent", in: 0...100) ?? contract.shortVisitPercent
        guard contract.missedThresholdMinutes >= contract.lateToleranceMinutes else {
            throw invalid("\(object.path).missed_threshold_minutes must not be below late_tolerance_minutes")
        }
        if let name = try checked.string("time_zone") {
            guard let zone = TimeZone(identifier: name) else {
                throw invalid("\(object.path).time_zone: \(name) is not a known time zone (e.g. Europe/London)")
            }
            contract.timeZone = zone
        }
        return contract
    }

    static func invalid(_ message: String) -> ServerError {
        ServerError(.invalidWorkflowSettings, message, status: .internalServerError)
    }
}

/// One JSON object of the workflows file, with the path used in error messages.
private struct SettingsObject {
    let value: Value
    let path: String
    let members: [String: Value]

    init(_ value: Value, path: String, keys: [String]) throws {
        guard let members = value.objectValue else {
            throw WorkflowSettings.invalid("\(path.isEmpty ? "the file" : path) must be an object")
        }
        for key in members.keys.sorted() where !keys.contains(key) {
            throw WorkflowSettings.invalid(
                "unknown key \(Self.join(path, key)) (known here: \(keys.joined(separator: ", ")))")
        }
        self.value = value
        self.path = path
        self.members = members
    }

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    func object(_ key: String) throws -> SettingsObject? {
        guard let value = members[key] else { return nil }
        guard value.objectValue != nil else { throw WorkflowSettings.invalid("\(Self.join(path, key)) must be an object") }
        return try SettingsObject(value, path: Self.join(path, key), keys: Array(value.objectValue!.keys))
    }

    func list(_ key: String) throws -> [Value] {
        guard let value = members[key] else { return [] }
        guard let list = value.listValue else { throw WorkflowSettings.invalid("\(Self.join(path, key)) must be a list") }
        return list
    }

    func string(_ key: String) throws -> String? {
        guard let value = members[key] else { return nil }
        guard let text = value.stringValue, !text.isEmpty else {
            throw WorkflowSettings.invalid("\(Self.join(path, key)) must be a non-empty string")
        }
        return text
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = members[key] else { return nil }
        guard let number = value.intValue, range.contains(Int(number)) else {
            throw WorkflowSettings.invalid(
                "\(Self.join(path, key)) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return Int(number)
    }

    func names<Name>(_ key: String, _ make: (String) -> Name?) throws -> [Name] {
        try list(key).enumerated().map { index, item in
            guard let text = item.stringValue, let name = make(text) else {
                throw WorkflowSettings.invalid("\(Self.join(path, key))[\(index)] must be an identifier")
            }
            return name
        }
    }
}
