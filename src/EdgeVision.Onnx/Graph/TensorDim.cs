namespace EdgeVision.Onnx.Graph;

/// <summary>One dimension of a value's shape: a fixed size or a symbolic name such as "N".</summary>
public readonly record struct TensorDim
{
    private TensorDim(long? value, string? symbol)
    {
        Value = value;
        Symbol = symbol;
    }

    public long? Value { get; }
    public string? Symbol { get; }

    public static TensorDim Fixed(long value) =>
        value >= 0 ? new(value, null) : throw new ArgumentOutOfRangeException(nameof(value), value, "a fixed dimension cannot be negative");

    public static TensorDim Symbolic(string name) =>
        string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("a symbolic dimension needs a name", nameof(name)) : new(null, name);

    public static implicit operator TensorDim(int value) => Fixed(value);
    public static implicit operator TensorDim(long value) => Fixed(value);
    public static implicit operator TensorDim(string symbol) => Symbolic(symbol);

    public override string ToString() => Symbol ?? Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
