using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using MQTTnet;

namespace EdgeVision.Daemon.Tests.Mqtt;

/// <summary>The test's own MQTT client subscribed to everything, keeping every message with its arrival time.</summary>
internal sealed class MqttTestSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly ConcurrentQueue<ReceivedMessage> _messages = new();

    private MqttTestSubscriber(IMqttClient client) => _client = client;

    public IReadOnlyList<ReceivedMessage> Messages => [.. _messages];

    public static async Task<MqttTestSubscriber> ConnectAsync(int port, (string User, string Password)? auth = null, string filter = "#")
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var subscriber = new MqttTestSubscriber(client);
        client.ApplicationMessageReceivedAsync += e =>
        {
            subscriber._messages.Enqueue(new ReceivedMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString(),
                e.ApplicationMessage.Retain, DateTimeOffset.UtcNow));
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("test-" + Guid.NewGuid().ToString("N")[..8]);
        if (auth is { } a) options.WithCredentials(a.User, a.Password);
        await client.ConnectAsync(options.Build());
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(f => f.WithTopic(filter).WithAtLeastOnceQoS()).Build());
        return subscriber;
    }

    public async Task<bool> WaitForAsync(Func<IReadOnlyList<ReceivedMessage>, bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition(Messages)) return true;
            await Task.Delay(50);
        }
        return condition(Messages);
    }

    public Task<bool> WaitForAsync(string topic, string? payload, TimeSpan timeout) =>
        WaitForAsync(all => all.Any(m => m.Topic == topic && (payload is null || m.Payload == payload)), timeout);

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected) await _client.DisconnectAsync();
        _client.Dispose();
    }
}

internal sealed record ReceivedMessage(string Topic, string Payload, bool Retain, DateTimeOffset ReceivedAt)
{
    public JsonElement Json => JsonDocument.Parse(Payload).RootElement;
}
