import FoundationEssentials

/// A CloudEvents 1.0 event in structured JSON mode, with correlation and
/// causation ids as extension attributes so a flow can be traced across services.
public struct EventEnvelope<Payload: DomainEvent>: Sendable {
    public var id: String
    /// The producing service ("/asysta/intake") or NGO ("/providers/<id>").
    public var source: String
    public var subject: String?
    public var time: Date
    /// The id of the first event of the flow this one belongs to.
    public var correlationID: String?
    /// The id of the event that caused this one.
    public var causationID: String?
    public var data: Payload

    public init(
        id: String = randomUUIDString(), source: String, subject: String? = nil, time: Date = Date(), correlationID: String? = nil,
        causationID: String? = nil, data: Payload
    ) {
        self.id = id
        self.source = source
        self.subject = subject ?? data.partitionKey
        self.time = time
        self.correlationID = correlationID
        self.causationID = causationID
        self.data = data
    }

    public var type: EventType { Payload.eventType }

    /// The attributes, as `EventCodec.header(of:)` reads them from the record.
    public var header: EventHeader {
        EventHeader(
            id: id, source: source, type: Payload.eventType.description, subject: subject, time: time, correlationID: correlationID,
            causationID: causationID)
    }

    /// An event caused by `cause`: same correlation, causation pointing at it.
    public init<Cause>(causedBy cause: EventEnvelope<Cause>, source: String, data: Payload) {
        self.init(source: source, correlationID: cause.correlationID ?? cause.id, causationID: cause.id, data: data)
    }
}

/// The attributes of an envelope without its payload: enough to route it.
public struct EventHeader: Sendable, Equatable {
    public var id: String
    public var source: String
    public var type: String
    public var subject: String?
    public var time: Date
    public var correlationID: String?
    public var causationID: String?

    public init(id: String, source: String, type: String, subject: String?, time: Date, correlationID: String?, causationID: String?) {
        self.id = id
        self.source = source
        self.type = type
        self.subject = subject
        self.time = time
        self.correlationID = correlationID
        self.causationID = causationID
    }
}
