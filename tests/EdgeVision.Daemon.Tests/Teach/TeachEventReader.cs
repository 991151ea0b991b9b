using System.Text.Json;

namespace EdgeVision.Daemon.Tests.Teach;

/// <summary>Reads /api/events in the background and keeps the data of every <c>teach</c> event.</summary>
internal sealed class TeachEventReader : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<JsonElement> _events = [];
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;

    public TeachEventReader(HttpClient client) => _reading = ReadAsync(client);

    public Task ConnectedAsync() => _connected.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public IReadOnlyList<JsonElement> Stop()
    {
        _stop.Cancel();
        try { _reading.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        lock (_events) return [.. _events];
    }

    private async Task ReadAsync(HttpClient client)
    {
        try
        {
            using var response = await client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, _stop.Token);
            await using var stream = await response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(stream);
            _connected.TrySetResult();
            string? type = null;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line["event: ".Length..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && type == "teach")
                {
                    lock (_events) _events.Add(JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
                }
                else if (line.Length == 0) type = null;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            _connected.TrySetException(e);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
