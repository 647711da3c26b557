// The device store; see issue 3.
public import CareModel
