Console.WriteLine("evidence");
