/// Every event type of the suite, for the contracts, the docs and the tests
/// that check each one round-trips and matches its schema.
public enum EventCatalogue {
    public static let all: [any DomainEvent.Type] = [
        ApplicationSubmitted.self, DocumentsAdded.self, ApplicationWithdrawn.self,
        EditionPublished.self, EditionPublishedV2.self, EligibilityDecided.self, SupportGranted.self, SupportGrantedV2.self, SupportRevoked.self,
        ProviderRegistered.self, AssistantRegistered.self, AssistantQualificationRecorded.self,
        OrderPlaced.self, OrderAssigned.self, OrderCancelled.self, ServiceRated.self,
        TimesheetEntrySubmitted.self,
        HoursAccounted.self, TimesheetEntryRejected.self, TimesheetEntryCorrected.self, TimesheetEntryVoided.self,
        MonthConfirmed.self, VisitContested.self, ContestSettled.self,
        MonthClosed.self,
    ]
}
