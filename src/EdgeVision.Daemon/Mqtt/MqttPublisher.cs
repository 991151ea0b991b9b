using System.Security.Cryptography.X509Certificates;
using EdgeVision.Capture;
using EdgeVision.Daemon.Control;
using EdgeVision.Daemon.Metrics;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace EdgeVision.Daemon.Mqtt;

/// <summary>
/// The one MQTT connection: connects (availability with an <c>offline</c> last will), announces the sources to
/// Home Assistant, then drains the <see cref="LatestWinsOutbox"/> on its own task, so a slow or absent broker
/// never reaches the frame loop. A lost broker is retried with the capture sources' capped, jittered backoff;
/// on every (re)connect the last retained messages are sent again, since a restarted broker may have lost them.
/// </summary>
public sealed class MqttPublisher(
    LatestWinsOutbox outbox,
    MqttTopics topics,
    IOptions<MqttOptions> options,
    IDaemonControl control,
    DaemonMetrics metrics,
    ILogger<MqttPublisher> logger) : BackgroundService
{
    private static readonly TimeSpan DrainWake = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan GoodbyeTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StableConnection = TimeSpan.FromSeconds(10);
    private readonly MqttOptions _options = options.Value;
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    // The newest retained message of each topic that reached the broker: re-sent after a reconnect.
    private readonly Dictionary<string, OutgoingMessage> _retained = new(StringComparer.Ordinal);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ConnectionLoopAsync(stoppingToken), StatusLoopAsync(stoppingToken));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (!_client.IsConnected) return;
        // A clean disconnect suppresses the last will, so say offline ourselves.
        using var timeout = new CancellationTokenSource(GoodbyeTimeout);
        try
        {
            await _client.PublishAsync(Message(Availability(MqttPayloads.Offline)), timeout.Token).ConfigureAwait(false);
            await _client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or MqttCommunicationException)
        {
            logger.LogDebug("MQTT goodbye not delivered: {Error}", e.Message);
        }
    }

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }

    private async Task ConnectionLoopAsync(CancellationToken ct)
    {
        var backoff = new Backoff(_options.ReconnectInitial, _options.ReconnectMax);
        var clientOptions = ClientOptions();
        bool connectedBefore = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var result = await _client.ConnectAsync(clientOptions, ct).ConfigureAwait(false);
                // A refusal (bad credentials, not authorized) is an answer, not an exception: retry it the same way.
                if (result.ResultCode != MqttClientConnectResultCode.Success || !_client.IsConnected)
                    throw new MqttCommunicationException($"the broker refused the connection: {result.ResultCode} {result.ReasonString}".TrimEnd());
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                metrics.MqttConnectFailed();
                var delay = backoff.Next();
                if (backoff.Failures == 1)
                    logger.LogWarning("MQTT broker {Host}:{Port} unreachable ({Error}); retrying with backoff up to {Max}",
                        _options.Host, _options.EffectivePort, e.Message, _options.ReconnectMax);
                else
                    logger.LogDebug("MQTT connect attempt {Attempt} failed ({Error}); next in {Delay}", backoff.Failures, e.Message, delay);
                try { await Task.Delay(delay, ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
                continue;
            }
            long connectedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            metrics.MqttConnected(true, reconnect: connectedBefore);
            logger.LogInformation("MQTT connected to {Host}:{Port} as {ClientId}, publishing under {Prefix}",
                _options.Host, _options.EffectivePort, topics.Device, topics.Prefix);
            connectedBefore = true;
            outbox.Return(Announcements());
            await DrainWhileConnectedAsync(ct).ConfigureAwait(false);
            metrics.MqttConnected(false, reconnect: false);
            if (ct.IsCancellationRequested) return;
            logger.LogWarning("MQTT connection to {Host}:{Port} lost; reconnecting", _options.Host, _options.EffectivePort);
            // A connection that ends as soon as it starts (another client with our id, a broker that kicks us) must
            // not become a tight reconnect loop: only a connection that lasted resets the ladder.
            if (System.Diagnostics.Stopwatch.GetElapsedTime(connectedAt) >= StableConnection) backoff.Reset();
            else
            {
                try { await Task.Delay(backoff.Next(), ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Availability, discovery, then the last retained value of every other topic, in that order.</summary>
    private List<OutgoingMessage> Announcements()
    {
        var first = new List<OutgoingMessage> { Availability(MqttPayloads.Online) };
        if (_options.HomeAssistant)
        {
            foreach (string source in control.SourceNames)
            {
                first.Add(new OutgoingMessage(topics.LabelDiscovery(source), MqttPayloads.LabelDiscovery(topics, source), true, MessageKind.Discovery));
                first.Add(new OutgoingMessage(topics.ConfidenceDiscovery(source), MqttPayloads.ConfidenceDiscovery(topics, source), true, MessageKind.Discovery));
            }
        }
        first.AddRange(_retained.Values.Where(m => m.Kind is MessageKind.State or MessageKind.Status));
        return first;
    }

    private async Task DrainWhileConnectedAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested && _client.IsConnected)
        {
            List<OutgoingMessage> batch;
            try { batch = await outbox.TakeAllAsync(DrainWake, ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            for (int i = 0; i < batch.Count; i++)
            {
                var message = batch[i];
                try
                {
                    await _client.PublishAsync(Message(message), ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // Not delivered: keep it (and the rest) for the next connection unless something newer came.
                    metrics.MqttPublishFailed();
                    logger.LogDebug("MQTT publish to {Topic} failed: {Error}", message.Topic, e.Message);
                    outbox.Return(batch.Skip(i));
                    return;
                }
                metrics.MqttPublished(message.Kind);
                if (message.Retain) _retained[message.Topic] = message;
            }
        }
    }

    private async Task StatusLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.StatusInterval);
        do
        {
            var status = control.GetStatus();
            outbox.Offer(new OutgoingMessage(topics.Status, MqttPayloads.Status(topics.Device, status, DateTimeOffset.UtcNow), _options.Retain, MessageKind.Status));
            try
            {
                if (!await timer.WaitForNextTickAsync(ct).ConfigureAwait(false)) return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        while (!ct.IsCancellationRequested);
    }

    /// <summary>Availability is always retained: Home Assistant reads it when it starts, long after we said it.</summary>
    private OutgoingMessage Availability(string payload) =>
        new(topics.Availability, System.Text.Encoding.UTF8.GetBytes(payload), true, MessageKind.Availability);

    private MqttQualityOfServiceLevel Qos => _options.Qos == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce;

    private MqttApplicationMessage Message(OutgoingMessage m) => new MqttApplicationMessageBuilder()
        .WithTopic(m.Topic)
        .WithPayload(m.Payload)
        .WithQualityOfServiceLevel(Qos)
        .WithRetainFlag(m.Retain)
        .WithContentType(m.Kind == MessageKind.Availability ? "text/plain" : "application/json")
        .Build();

    private MqttClientOptions ClientOptions()
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.EffectivePort)
            .WithClientId(topics.Device)
            .WithCleanSession()
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(5))
            .WithWillTopic(topics.Availability)
            .WithWillPayload(MqttPayloads.Offline)
            .WithWillRetain()
            .WithWillQualityOfServiceLevel(Qos);
        if (_options.Username is { } user) builder.WithCredentials(user, _options.Password);
        if (_options.Tls)
        {
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls();
                if (_options.CaFile is { } caFile)
                {
                    var trust = new X509Certificate2Collection();
                    trust.ImportFromPemFile(caFile);
                    tls.WithTrustChain(trust);
                }
            });
        }
        return builder.Build();
    }
}
