namespace EdgeVision.Core.Model;

/// <summary>A model file or its metadata breaks the contract; the message names what and why.</summary>
public sealed class ModelContractException : Exception
{
    public ModelContractException(string message) : base(message) { }
    public ModelContractException(string message, Exception inner) : base(message, inner) { }
}
