public import CareModel

/// The care-workflow settings of a provider: its contracts (which teams each
/// covers, with their thresholds), a default contract for every other team, and
/// its abuse-report response. Read at start-up from the JSON file named by
/// `--workflows` (``WorkflowSettings/load(path:)``); the defaults apply when no
/// file is given.
public struct WorkflowSettings: Sendable, Hashable {
    /// The contract of teams no listed contract covers.
    public var defaultContract: CareContract
    /// Contracts by team; a team is covered by at most one.
    public private(set) var contracts: [CareContract]
    public var abuseReports: AbuseReportSettings
    private var contractByTeam: [TeamID: Int] = [:]

    public init(
        defaultContract: CareContract = CareContract(), contracts: [CareContract] = [],
        abuseReports: AbuseReportSettings = AbuseReportSettings()
    ) {
        self.defaultContract = defaultContract
        self.contracts = contracts
        self.abuseReports = abuseReports
        for (index, contract) in contracts.enumerated() {
            for team in contract.teams where contractByTeam[team] == nil { contractByTeam[team] = index }
        }
    }

    /// The contract that covers `team`'s visits.
    public func contract(for team: TeamID?) -> CareContract {
        team.flatMap { contractByTeam[$0] }.map { contracts[$0] } ?? defaultContract
    }

    /// Every contract with the teams it selects, the default contract last
    /// (selecting the teams no listed contract covers).
    public var selections: [(contract: CareContract, teams: TeamSelection)] {
        var selections: [(contract: CareContract, teams: TeamSelection)] = contracts.map { contract in
            (contract: contract, teams: .only(contract.teams))
        }
        selections.append((contract: defaultContract, teams: .allExcept(contracts.flatMap(\.teams))))
        return selections
    }
}

/// Which teams a query covers.
public enum TeamSelection: Sendable, Hashable {
    /// These teams.
    case only([TeamID])
    /// Every team but these (and visits without a team).
    case allExcept([TeamID])
}
