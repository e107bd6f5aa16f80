import Domain
import Messaging

/// Keeps timesheet's copies of editions, grants, providers, assistants and
/// orders. They run in a consumer group of their own, so reference data never
/// waits behind a backlog of entries.
enum ReferenceHandlers {
    static func make(store: ReferenceStore = ReferenceStore()) -> EventHandlers {
        var handlers = EventHandlers()
        handlers.on(EditionPublished.self) { event, connection in try await store.save(event.data.rules, on: connection) }
        handlers.on(EditionPublishedV2.self) { event, connection in try await store.save(event.data.rules, on: connection) }
        handlers.on(SupportGranted.self) { event, connection in try await store.save(event.data, on: connection) }
        handlers.on(SupportGrantedV2.self) { event, connection in try await store.save(event.data.totals, on: connection) }
        handlers.on(SupportRevoked.self) { event, connection in try await store.save(event.data, on: connection) }
        handlers.on(ProviderRegistered.self) { event, connection in try await store.save(event.data, on: connection) }
        handlers.on(AssistantRegistered.self) { event, connection in try await store.save(event.data, on: connection) }
        handlers.on(AssistantQualificationRecorded.self) { event, connection in try await store.save(event.data, on: connection) }
        handlers.on(OrderPlaced.self) { event, connection in try await store.save(event.data, on: connection) }
        handlers.on(OrderAssigned.self) { event, connection in try await store.save(event.data, on: connection) }
        handlers.on(OrderCancelled.self) { event, connection in try await store.save(event.data, on: connection) }
        return handlers
    }
}
