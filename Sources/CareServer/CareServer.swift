public import CareModel
