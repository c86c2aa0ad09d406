import { constants } from './constants';

export const SslPolicy = constants('elbv2.SslPolicy');
