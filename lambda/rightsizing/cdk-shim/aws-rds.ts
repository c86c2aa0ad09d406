import { constants } from './constants';

export const PostgresEngineVersion = constants('rds.PostgresEngineVersion');
export const CaCertificate = constants('rds.CaCertificate');
