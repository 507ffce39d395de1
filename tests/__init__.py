"""The test suite; its folders mirror the package (core/, client/, widgets/, sandbox/, cli/)."""
